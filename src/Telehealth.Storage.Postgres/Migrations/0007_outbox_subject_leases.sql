-- A claim of the outbox used to lease each row it returned (lease_owner, lease_until: an update of every claimed row,
-- WAL for each), and it skipped a person with a row leased elsewhere by reading, for every candidate row, that person's
-- rows through ix_outbox_kind_subject, sent ones too. It now leases the person: one row here per kind and subject (the
-- owner, until when, and the last outbox row claimed), written once per claim and person, and read by primary key to
-- skip a person leased to another live instance. The claim writes nothing to outbox rows. Recording the last claimed
-- row of a person as sent or failed deletes the lease (PostgresOutbox keeps which row that is), so another instance may
-- take the person's next rows at once; a row left pending keeps the person until the lease runs out.
-- Measured on a test server (pg_stat_statements, WAL position), 20,000 sent rows and then 2,000 FHIR Observations
-- (1.8 KB rows) appended, claimed 100 at a time by two instances in turn and recorded sent one by one, four passes
-- each way, per row from claim to sent: buffer pages 31.2-36.1 before, 23.9-24.7 now; WAL 899-905 bytes, 752-771 now;
-- statement time 67-77 us, 58-61 now. The claim alone: 12.1-17.1 pages, 163 bytes of WAL and 16-21 us per row before,
-- 4.6-5.5 pages, 54-59 bytes and 5-7 us now; the record 19.0 pages and 680 bytes before, 17.2 pages and 580 bytes now
-- (no lease columns), plus 2.1 pages and 70 bytes for the one record in ten that ends a lease. Appends are unchanged
-- (16.2-16.3 pages, 2.4-3.2 KB of WAL per row), and so is the split bench, which pushes no FHIR (57.0 / 56.6 pages and
-- 3,603 / 3,587 bytes of WAL per reading with / without this change, back to back).
-- fillfactor 60 (migration 6) stays: without claims a row is updated once, by its record, and with pages filled to
-- 100 % that new version goes to another page and is logged whole: 1,507-1,629 instead of 580 bytes of WAL per record.
-- Pending rows' leases move here (the latest owner and lease of each person's leased pending rows; the last of them as
-- the last claimed); the lease columns stay, NULL from now on, so the rows stand as they were otherwise.
CREATE TABLE outbox_leases (
    kind            text   NOT NULL,
    subject         text   NOT NULL,
    owner           text   NOT NULL,
    lease_until     bigint NOT NULL,
    claimed_through bigint NOT NULL,
    PRIMARY KEY (kind, subject)
);

INSERT INTO outbox_leases (kind, subject, owner, lease_until, claimed_through)
SELECT kind, subject, (array_agg(lease_owner ORDER BY lease_until DESC, seq DESC))[1], max(lease_until), max(seq)
FROM outbox
WHERE status = 'pending' AND lease_owner IS NOT NULL AND lease_until IS NOT NULL
GROUP BY kind, subject;
UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL;
