-- Evaluated items leave the queue. Marking an item done used to set done_at_ms, a column of the partial indexes'
-- predicates, so every mark was a new row version with a new entry in each of the queue's indexes (19 pages dirtied
-- per reading in the split benchmark, insert and mark together). The queue now holds only pending items: marking one
-- done deletes it and keeps what redelivery needs to refuse it again — its identity (the queue's UNIQUE key) and when
-- it was done, for the retention — in this narrow table. Enqueueing skips an identity found here
-- (PostgresEvaluationQueue), pruning deletes from here.
CREATE TABLE evaluation_done (
    item_kind      text   NOT NULL,
    device_id      text   NOT NULL,
    name           text   NOT NULL,
    device_time_ms bigint NOT NULL,
    done_at_ms     bigint NOT NULL,
    PRIMARY KEY (item_kind, device_id, name, device_time_ms)
);
-- Rows arrive in done order, so a block range index finds the pruned ones at almost no cost per row.
CREATE INDEX ix_evaluation_done_at ON evaluation_done USING brin (done_at_ms);

INSERT INTO evaluation_done (item_kind, device_id, name, device_time_ms, done_at_ms)
SELECT item_kind, device_id, name, device_time_ms, done_at_ms FROM evaluation_queue WHERE done_at_ms IS NOT NULL
ORDER BY done_at_ms;
DELETE FROM evaluation_queue WHERE done_at_ms IS NOT NULL;

-- done_at_ms stays (always NULL now) so the pending indexes and their queries stand as they were. The done index has
-- nothing left to find, and the pending rows' sequence index is the primary key now that every row is pending.
DROP INDEX ix_evaluation_queue_done;
DROP INDEX ix_evaluation_queue_pending_seq;
