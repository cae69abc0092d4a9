-- The queue's index holds only the deliveries still to finish, keyed by
-- blast and id: tocsin send reads the next ones in order straight from
-- it, without scanning and sorting the whole blast for each batch (which
-- made a blast of a million slower per message than one of thousands),
-- and a delivery leaves it when it is sent. Queries that use it name its
-- condition exactly (SENDQ_TODO in sendq.h).

DROP INDEX deliveries_todo;
CREATE INDEX deliveries_todo ON deliveries(blast_id, id)
    WHERE state IN ('queued', 'sending', 'deferred');
