-- The inbox: where reading the IMAP mailbox got to, every message read
-- (so that a second run, or a rescan after UIDVALIDITY changed, acts on
-- nothing twice), and the human replies kept for a person.

-- Per mailbox: its UIDVALIDITY and the last UID whose actions committed.
CREATE TABLE inbox_state (
	mailbox		TEXT PRIMARY KEY,
	uidvalidity	INTEGER NOT NULL,
	last_uid	INTEGER NOT NULL DEFAULT 0,
	updated_at	INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per message acted on. digest (SHA-256 of the bytes) is what
-- makes a message the same one after a UIDVALIDITY change; folder is
-- where it must go, and moved says whether it went: a run cut off
-- between the commit and the move finishes the move next time.
CREATE TABLE inbox_messages (
	id		INTEGER PRIMARY KEY,
	digest		TEXT NOT NULL UNIQUE,
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	uid		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	folder		TEXT NOT NULL,
	moved		INTEGER NOT NULL DEFAULT 0,
	delivery_id	INTEGER REFERENCES deliveries(id),
	subscriber_id	INTEGER REFERENCES subscribers(id),
	created_at	INTEGER NOT NULL
);

CREATE INDEX inbox_messages_unmoved ON inbox_messages(mailbox, moved);
CREATE INDEX inbox_messages_by_uid ON inbox_messages(mailbox, uidvalidity, uid);

-- Replies a person should read.
CREATE TABLE replies (
	id		INTEGER PRIMARY KEY,
	inbox_message_id INTEGER NOT NULL REFERENCES inbox_messages(id),
	sender		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	sent_date	TEXT NOT NULL,
	excerpt		TEXT NOT NULL,
	blast_id	INTEGER REFERENCES blasts(id),
	subscriber_id	INTEGER REFERENCES subscribers(id),
	created_at	INTEGER NOT NULL
);

-- Events the inbox writes say which delivery and which message caused them.
ALTER TABLE events ADD COLUMN delivery_id INTEGER REFERENCES deliveries(id);
ALTER TABLE events ADD COLUMN imap_uid INTEGER;
ALTER TABLE events ADD COLUMN inbox_message_id INTEGER REFERENCES inbox_messages(id);

CREATE INDEX events_by_kind ON events(kind, subscriber_id, created_at);
