-- A reply kept for a person is open until a person handles it: marks it
-- done, or unsubscribes or signs its writer on their word (tocsin
-- replies done|unsubscribe|sign ID).

ALTER TABLE replies ADD COLUMN handled_at INTEGER;
ALTER TABLE replies ADD COLUMN handled_how TEXT;
