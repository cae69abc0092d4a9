-- Blasts: an alert sent to a segment of a list. The template (and the
-- partials it uses) is copied in when the blast is created, so editing
-- the file later cannot change what the rest of a blast says.

CREATE TABLE blasts (
	id		INTEGER PRIMARY KEY,
	list_id		INTEGER NOT NULL REFERENCES lists(id),
	action_id	INTEGER REFERENCES actions(id),
	template_name	TEXT NOT NULL,		-- the file it came from
	template	TEXT NOT NULL,		-- its content, snapshotted
	partials	TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(partials)),
	segment		TEXT NOT NULL,		-- how recipients were chosen
	state		TEXT NOT NULL CHECK (state IN ('scheduled', 'paused',
			    'done', 'cancelled')),
	due_at		INTEGER NOT NULL,
	rate		INTEGER,		-- messages a second, NULL: no limit
	recipients	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	started_at	INTEGER,
	finished_at	INTEGER
);

-- One row per recipient of a blast: the queue. A delivery goes
-- queued -> sending -> sent | deferred | failed; deferred goes back to
-- sending when next_try_at comes. 'sending' left by a dead sender
-- becomes 'unknown' (maybe delivered: resent only when asked);
-- 'skipped' is someone who left the list after the blast was made.
CREATE TABLE deliveries (
	id		INTEGER PRIMARY KEY,
	blast_id	INTEGER NOT NULL REFERENCES blasts(id),
	subscriber_id	INTEGER NOT NULL REFERENCES subscribers(id),
	state		TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',
			    'sending', 'sent', 'deferred', 'failed', 'unknown',
			    'skipped')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_try_at	INTEGER NOT NULL DEFAULT 0,
	smtp_code	INTEGER,
	smtp_reply	TEXT,
	message_id	TEXT,
	updated_at	INTEGER NOT NULL,
	UNIQUE (blast_id, subscriber_id)
);

CREATE INDEX deliveries_todo ON deliveries(blast_id, state, next_try_at);
CREATE INDEX deliveries_by_subscriber ON deliveries(subscriber_id);
