-- evaluation_seen answers, for the readings of an ingest batch, "has an acknowledged delivery of this identity ever
-- come?" before they are written to InfluxDB (PostgresReadingAdmission), so InfluxDB is asked "is it stored already?"
-- only about the rest. The answer is only as good as what pruning kept: this row says from which device time on the
-- table holds every identity ever queued. Pruning now keeps an identity whose device time is at or after its cut (a
-- device clock ahead of the receive time kept it a little longer, never less) and raises the horizon to that cut in
-- the same statement; an admission reads it after its own insert, so no prune can slip between the two.
-- A database with data from before this migration was pruned by first-seen time alone: it vouches for device times
-- from now on. A new one has seen everything there is to see.
CREATE TABLE evaluation_seen_horizon (
    only_row      boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    kept_from_ms  bigint  NOT NULL
);

INSERT INTO evaluation_seen_horizon (kept_from_ms)
SELECT CASE WHEN EXISTS (SELECT 1 FROM evaluation_seen) OR EXISTS (SELECT 1 FROM evaluation_queue)
            THEN (extract(epoch FROM clock_timestamp()) * 1000)::bigint
            ELSE 0 END;

-- Pruning now asks for identities measured before its cut as well as first seen before it, and the primary key begins
-- with the device time: it finds them by a range of the key. The block range index on first-seen time (migration 8)
-- served pruning alone and cost every insert a look at its range map and summary.
DROP INDEX ix_evaluation_seen_at;
