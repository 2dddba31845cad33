-- After its insert an outbox row was rewritten in every index twice: by the claim's lease (a new row version on
-- another page wherever its own page had no room, and the pages of freshly inserted rows never have room) and by the
-- pass's record (status: a column of ix_outbox_kind_status_seq and of ix_outbox_delivered's predicate).
-- * Inserts fill pages to 60 % (fillfactor): the claim changes only lease_owner and lease_until, which no index holds,
--   so where its page has room the new version stays there and no index is touched (a HOT update). Rows carry a FHIR
--   resource of a kilobyte or more, so 80 % left room for one claim per page. Measured on a test server, 5,000 rows of
--   1.2 KB claimed 100 at a time and recorded sent one by one: 3,316 of the 5,000 claims HOT (none before), WAL for
--   claim and record 2,605 bytes per row (3,857 before), index pages touched 285,000 (362,000); an append writes the
--   same WAL (1,787 / 1,831 bytes per row) and touches 0.4 more heap pages per row (emptier pages).
--   Applies to pages written from now on.
-- * The claim's index holds pending rows only, so a row sent leaves it and adds nothing (it held every row, sent ones
--   too). PendingAsync asks for status = 'pending' in seq order per kind; ListAsync by status and CountAsync, for the
--   outbox pages of a team, read the team's rows through ix_outbox_kind_subject.
-- * ix_outbox_delivered stays: a block range index on completed_at instead cost two more pages per append (measured:
--   a BRIN index is written for the NULL of a pending row too), more than the B-tree entry a sent row costs once.
ALTER TABLE outbox SET (fillfactor = 60);
CREATE INDEX ix_outbox_pending ON outbox (kind, seq) WHERE status = 'pending';
DROP INDEX ix_outbox_kind_status_seq;
