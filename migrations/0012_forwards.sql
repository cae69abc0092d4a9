-- Human replies sent on to the list's reply-to address, so that a
-- person reads them where the group reads its mail: tocsin send sends
-- them, with the writer as Reply-To. 'sending' left by a dead sender
-- becomes 'unknown' (maybe sent: never sent again).

CREATE TABLE forwards (
	id		INTEGER PRIMARY KEY,
	reply_id	INTEGER NOT NULL UNIQUE REFERENCES replies(id),
	list_id		INTEGER NOT NULL REFERENCES lists(id),
	to_addr		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',
			    'sending', 'sent', 'deferred', 'failed', 'unknown')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_try_at	INTEGER NOT NULL DEFAULT 0,
	smtp_reply	TEXT,
	updated_at	INTEGER NOT NULL
);

CREATE INDEX forwards_todo ON forwards(state, next_try_at);
