-- Why a blast is in its state when tocsin put it there itself: the
-- breaker pauses a blast that meets a run of permanent refusals (a
-- relay refusing our sender, say), and blast show says why.

ALTER TABLE blasts ADD COLUMN state_reason TEXT;
ALTER TABLE blasts ADD COLUMN state_at INTEGER;
