-- What the inbox keeps for a person: a human reply, or a report (a
-- bounce, a complaint) that no token of ours verifies for, which
-- changed nobody and is listed by tocsin replies --unattributed.

ALTER TABLE replies ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
