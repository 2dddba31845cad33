-- Named work leases (IWorkLeaseStore): work done once across the instances sharing a care record (each alert event
-- follower, the escalation timers) runs only in the instance holding its lease. holder is an instance id (host, pid,
-- random), never a person; times are Unix milliseconds of the holder's clock.
CREATE TABLE work_leases (
    name           TEXT    NOT NULL PRIMARY KEY,
    holder         TEXT    NOT NULL,
    acquired_at_ms INTEGER NOT NULL,
    lease_until_ms INTEGER NOT NULL
);
