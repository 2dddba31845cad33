-- Named work leases (IWorkLeaseStore; SQLite migration 0008): work done once across the instances sharing this care
-- record (each alert event follower, the escalation timers) runs only in the instance holding its lease. holder is an
-- instance id (host, pid, random), never a person; times are Unix milliseconds of the holder's clock.
CREATE TABLE work_leases (
    name           text   NOT NULL PRIMARY KEY,
    holder         text   NOT NULL,
    acquired_at_ms bigint NOT NULL,
    lease_until_ms bigint NOT NULL
);
