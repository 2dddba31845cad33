-- The claim's oldest pending rows, found through the pending rows alone. The pending index on (kind, seq) was not
-- enough: ordered by seq, the primary key offers a second way, walking the rows in order and skipping the sent ones.
-- Pending rows are the newest, behind the whole history of sent ones, but the planner assumes they are spread evenly,
-- so once a backlog was a large share of the table (a FHIR server down for a while) it chose the walk: 100,000 pages
-- for a claim over 200,000 sent rows, against about 50 through the pending index. The claim now orders by seq + 0,
-- which the primary key does not hold and this index does (PostgresOutbox.PendingAsync; PostgresOutboxClaimPlanTests).
CREATE INDEX ix_outbox_pending_order ON outbox (kind, (seq + 0)) WHERE status = 'pending';
DROP INDEX ix_outbox_pending;
