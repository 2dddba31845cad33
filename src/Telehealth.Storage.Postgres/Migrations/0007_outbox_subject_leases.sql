-- (comment written after measuring)
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
