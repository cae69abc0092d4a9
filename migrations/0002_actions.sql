-- Actions people take: sign a petition, or add an organisation to a
-- sign-on letter. A person signs an action once.

CREATE TABLE actions (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	title		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('petition', 'letter')),
	created_at	INTEGER NOT NULL
);

CREATE TABLE signatures (
	id		INTEGER PRIMARY KEY,
	action_id	INTEGER NOT NULL REFERENCES actions(id),
	subscriber_id	INTEGER NOT NULL REFERENCES subscribers(id),
	name		TEXT NOT NULL DEFAULT '',	-- as the signer gave it
	org		TEXT NOT NULL DEFAULT '',
	comment		TEXT NOT NULL DEFAULT '',
	source		TEXT NOT NULL,		-- a file name, 'cli', 'reply'
	signed_at	INTEGER NOT NULL,
	UNIQUE (action_id, subscriber_id)
);

CREATE INDEX signatures_by_time ON signatures(action_id, signed_at);
