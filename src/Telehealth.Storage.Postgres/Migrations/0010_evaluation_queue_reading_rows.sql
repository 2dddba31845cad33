-- A person's readings queued by one ingest batch share one queue row (item_kind 'readings', the readings in the
-- reading_* arrays, in arrival order) instead of a row each. A row was a heap tuple and two b-tree entries on the way
-- in (primary key, pending index) and a delete and a vacuum on the way out, for every reading: in the split benchmark
-- the queueing statement touched 16.5 pages per reading and took 58 % of PostgreSQL's statement time, and marking done
-- another 1.8 pages. A batch holds about 30 readings per person there. The identity of each reading is still recorded
-- one by one in evaluation_seen, so a redelivery is refused reading by reading as before.
-- Rows already queued (one reading each, item_kind 'reading') stay as they are and are claimed as before. The columns
-- are new, nullable and without a default: adding them rewrites nothing.
ALTER TABLE evaluation_queue
    ADD COLUMN reading_devices  text[]             NULL,
    ADD COLUMN reading_names    text[]             NULL,
    ADD COLUMN reading_values   double precision[] NULL,
    ADD COLUMN reading_times    bigint[]           NULL,
    ADD COLUMN reading_received bigint[]           NULL;
