-- A blast is made as a draft: nothing sends it until tocsin blast
-- schedule makes it due. Blasts made before drafts are not drafts.

ALTER TABLE blasts ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
