-- An item's identity is recorded once, when it is first queued, and the queue holds only pending items with nothing
-- to say whether an identity came before. Until now the identity was kept twice: the queue's UNIQUE key refused a
-- repeat while the item was pending, and evaluation_done (migration 5) refused it after it was evaluated, so each item
-- paid for two identity b-trees — a probe and an insert in the queue's UNIQUE index and a probe of evaluation_done's key
-- when queued, a delete from the queue and an insert into evaluation_done (probe, key, BRIN) when marked done. An
-- enqueue now inserts the identity here (ON CONFLICT DO NOTHING) and queues only what that inserted, in one statement
-- (PostgresEvaluationQueue); marking an item done just deletes it from the queue. A repeat waits on the first insert of
-- its identity here until that commits or rolls back, so two enqueues, or an enqueue and a mark, cannot race into a
-- second evaluation. Pruning deletes identities first seen before the retention whose items are no longer queued.
-- The key begins with the device time, as SQLite's did since its migration 12: new data lands at the right edge of the
-- b-tree (PostgreSQL then inserts into its cached rightmost leaf without a descent) instead of in one place per device
-- and kind, and most comparisons end at the first column, a number. Measured on a test server, 400 new identities per
-- statement into 50,000-300,000: 7.8-9.3 us of backend CPU per row with the kind-first order, 4.5 with this one.
CREATE TABLE evaluation_seen (
    item_kind      text   NOT NULL,
    device_id      text   NOT NULL,
    name           text   NOT NULL,
    device_time_ms bigint NOT NULL,
    seen_at_ms     bigint NOT NULL,
    PRIMARY KEY (device_time_ms, device_id, name, item_kind)
);

-- Every identity already done keeps its done time (it is kept at least as long as before); every pending item's
-- identity is seen from its enqueue. In time order, so the block range index below starts tight.
INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms)
SELECT item_kind, device_id, name, device_time_ms, seen_at_ms
FROM (SELECT item_kind, device_id, name, device_time_ms, done_at_ms AS seen_at_ms FROM evaluation_done
      UNION ALL
      SELECT item_kind, device_id, name, device_time_ms, enqueued_at_ms FROM evaluation_queue) identities
ORDER BY seen_at_ms
ON CONFLICT DO NOTHING;

-- Rows arrive in enqueue order, so a block range index finds the pruned ones at almost no cost per row.
CREATE INDEX ix_evaluation_seen_at ON evaluation_seen USING brin (seen_at_ms);

DROP TABLE evaluation_done;
ALTER TABLE evaluation_queue DROP CONSTRAINT evaluation_queue_item_kind_device_id_name_device_time_ms_key;

-- The claim's one use of the due time is to skip a person from an item that is backing off, and only a failed
-- attempt (DeferAsync: attempts + 1) makes an item due later than when it was queued. Indexing only those rows leaves
-- this index untouched by the insert of every item (it held every pending row, one more b-tree per reading).
DROP INDEX ix_evaluation_queue_pending_due;
CREATE INDEX ix_evaluation_queue_backing_off ON evaluation_queue (due_at_ms) WHERE attempts > 0;
