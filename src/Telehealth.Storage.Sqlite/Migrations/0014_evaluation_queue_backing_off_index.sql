-- The claim's one use of the due time is to hold a person from an item that is backing off, and only a failed attempt
-- (DeferAsync: attempts + 1) makes an item due later than when it was queued. ix_evaluation_queue_pending_due held
-- every pending row: an entry written with each reading's queue row at ingest and removed when it was evaluated, two
-- more b-tree writes per reading on the one writer. Indexing only the rows with attempts leaves it untouched by every
-- item that is evaluated at its first attempt (PostgreSQL made the same change in its migration 0008). The claim asks
-- for backing-off items as "attempts > 0 AND due later than now" (SqliteEvaluationQueue.ClaimStatement), which this
-- index answers, nearly always with an empty range.
-- Only an index is replaced: every row is kept.

DROP INDEX IF EXISTS ix_evaluation_queue_pending_due;
CREATE INDEX ix_evaluation_queue_backing_off ON evaluation_queue (due_at_ms) WHERE done_at_ms IS NULL AND attempts > 0;
