-- Lists, the people on them, and who must never be mailed again.
-- Times are Unix seconds (UTC); display converts to local time.

-- Which migrations this database has had; tocsin init fills it.
CREATE TABLE schema_migrations (
	version		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	applied_at	INTEGER NOT NULL
);

CREATE TABLE lists (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,
	from_addr	TEXT NOT NULL,		-- "Name <addr>" for the From header
	reply_to	TEXT,
	created_at	INTEGER NOT NULL
);

-- One row per person, whatever lists they are on. The address keeps its
-- local part as written and a lower-cased domain; NOCASE makes
-- "Ann@x.org" and "ann@x.org" the same person.
CREATE TABLE subscribers (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	first_name	TEXT NOT NULL DEFAULT '',
	last_name	TEXT NOT NULL DEFAULT '',
	fields		TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- A person on a list. status_reason says why the status last changed
-- (the reason given for a resubscription, a bounce's status code, ...).
CREATE TABLE memberships (
	list_id		INTEGER NOT NULL REFERENCES lists(id),
	subscriber_id	INTEGER NOT NULL REFERENCES subscribers(id),
	status		TEXT NOT NULL CHECK (status IN ('subscribed',
			    'unsubscribed', 'bounced', 'complained', 'pending')),
	source		TEXT NOT NULL,		-- a file name, 'cli', 'reply'
	subscribed_at	INTEGER NOT NULL,
	status_at	INTEGER NOT NULL,
	status_reason	TEXT,
	PRIMARY KEY (list_id, subscriber_id)
) WITHOUT ROWID;

CREATE INDEX memberships_by_subscriber ON memberships(subscriber_id);

-- Addresses no list may mail, whatever their memberships say.
CREATE TABLE suppressions (
	email		TEXT PRIMARY KEY COLLATE NOCASE,
	reason		TEXT NOT NULL,		-- complained, bounced, manual
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;

-- What happened to whom, and why: status changes, later bounces,
-- complaints and replies (with the IMAP UID they came from).
CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL,
	subscriber_id	INTEGER REFERENCES subscribers(id),
	list_id		INTEGER REFERENCES lists(id),
	detail		TEXT,
	source		TEXT NOT NULL,
	created_at	INTEGER NOT NULL
);

CREATE INDEX events_by_subscriber ON events(subscriber_id);
