-- The evaluation worker claims the oldest pending items (done_at_ms IS NULL ORDER BY seq) on every pass. Without this
-- index SQLite walked the whole queue in seq order, done items included (they are kept for 8 days so that a late
-- redelivery is recognised), so every pass cost more the longer the platform ran. PostgreSQL has had the same index
-- since its baseline.
CREATE INDEX IF NOT EXISTS ix_evaluation_queue_pending_seq ON evaluation_queue (seq) WHERE done_at_ms IS NULL;
