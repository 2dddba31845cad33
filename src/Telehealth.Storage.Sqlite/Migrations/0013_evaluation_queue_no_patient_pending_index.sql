-- ix_evaluation_queue_pending (patient_id, seq) goes. No statement needs it any more: a claim takes pending items in
-- sequence order (ix_evaluation_queue_pending_seq) and finds backing-off people through ix_evaluation_queue_pending_due
-- (nearly always an empty range), and the pending count has the due index too. But every reading wrote it twice (an
-- entry when queued, its removal when evaluated) on a page of its own person, so each ingest commit and each
-- evaluation commit wrote one page of it per person; and SQLite preferred it for the claim's backing-off search,
-- which then read every pending row of the table instead of the backing-off range.
-- Only an index is dropped: every row is kept.

DROP INDEX IF EXISTS ix_evaluation_queue_pending;
