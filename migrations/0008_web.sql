-- tocsin web: an action's page (its text, an optional goal, and the list
-- that confirmations come from and that consenting signers join), the
-- confirmation blast of an action (kind 'confirm': its deliveries are
-- the confirmation mails of signatures made on the page without a
-- token, sent by tocsin send like any other), and those signatures until
-- their email is confirmed.

ALTER TABLE actions ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN goal INTEGER;
ALTER TABLE actions ADD COLUMN list_id INTEGER REFERENCES lists(id);

ALTER TABLE blasts ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert'
    CHECK (kind IN ('alert', 'confirm'));

CREATE TABLE pending_signatures (
	id		INTEGER PRIMARY KEY,
	action_id	INTEGER NOT NULL REFERENCES actions(id),
	subscriber_id	INTEGER NOT NULL REFERENCES subscribers(id),
	name		TEXT NOT NULL DEFAULT '',
	postcode	TEXT NOT NULL DEFAULT '',
	comment		TEXT NOT NULL DEFAULT '',
	consent		INTEGER NOT NULL CHECK (consent IN (0, 1)),
	delivery_id	INTEGER REFERENCES deliveries(id),
	ip		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	confirmed_at	INTEGER,
	confirmed_ip	TEXT,
	UNIQUE (action_id, subscriber_id)
);

CREATE INDEX pending_by_delivery ON pending_signatures(delivery_id);
