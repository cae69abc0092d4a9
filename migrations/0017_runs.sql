-- The last run of each program cron or a timer runs (send, inbox): when
-- it ran, whether it ended well, and when it last did something, with
-- its summary, so that tocsin status can say what is stuck.
CREATE TABLE runs (
	program		TEXT PRIMARY KEY,
	ran_at		INTEGER NOT NULL,
	ok		INTEGER NOT NULL,
	problem		TEXT,			-- the last warning of a bad run
	acted_at	INTEGER,
	summary		TEXT
) WITHOUT ROWID;
