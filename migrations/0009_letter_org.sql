-- A sign-on letter's page asks for the organisation: a pending signature
-- keeps it until its email is confirmed.

ALTER TABLE pending_signatures ADD COLUMN org TEXT NOT NULL DEFAULT '';
