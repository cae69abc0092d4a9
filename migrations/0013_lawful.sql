-- What the law asks of every message and of the data kept on people:
-- a list's public name, its postal address (CAN-SPAM) and the footer
-- that shows it with the unsubscribe link; a list removed keeps its
-- history; a signer's chosen public name; and the salt of the hashes
-- that person forget leaves in the suppression list.

ALTER TABLE lists ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE lists ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE lists ADD COLUMN footer TEXT;	-- Mustache; NULL: the default
ALTER TABLE lists ADD COLUMN removed_at INTEGER;

-- A list's title until one is set: the From's display name, or its name.
UPDATE lists SET title = CASE WHEN instr(from_addr, '<') > 1
    THEN trim(substr(from_addr, 1, instr(from_addr, '<') - 1), ' "')
    ELSE name END;
UPDATE lists SET title = name WHERE title = '';

-- The name a signer asked to be shown by ("Craig Lee"); '' shows the
-- first word of the name they signed with.
ALTER TABLE signatures ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_signatures ADD COLUMN display_name TEXT NOT NULL
    DEFAULT '';

-- Secrets of this database. 'forget' salts the SHA-256 of a forgotten
-- address, so the hash says nothing without the database.
CREATE TABLE salts (
	name		TEXT PRIMARY KEY,
	value		BLOB NOT NULL
) WITHOUT ROWID;

INSERT INTO salts (name, value) VALUES ('forget', randomblob(32));
