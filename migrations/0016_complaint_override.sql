-- A blast the operator resumed with --force after tocsin paused it for
-- its list's complaint rate: the guard lets it be from then on.
ALTER TABLE blasts ADD COLUMN complaint_override INTEGER NOT NULL DEFAULT 0;
