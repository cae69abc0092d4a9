-- The queue's index again, its condition written as comparisons: SQLite
-- evaluates a list of three or more in IN (...) by building a temporary
-- table, and it evaluates a partial index's condition at every change
-- of a delivery's state, twice a message. Queries name the condition
-- word for word (SENDQ_TODO in sendq.h).

DROP INDEX deliveries_todo;
CREATE INDEX deliveries_todo ON deliveries(blast_id, id)
    WHERE (state = 'queued' OR state = 'sending' OR state = 'deferred');
