-- One outbox for every kind of outgoing message (FHIR writes, notifications) instead of a near-copy per adapter:
-- payload, kind, status and attempt columns; each adapter keeps only its mapping (SqliteOutbox, IOutboxStore).
-- message_key: the message's identity in its kind, parts joined by char(31). content_hash: SHA-256 (hex) of the
-- payload, compared only for FHIR (a resource version already queued); rows moved from notification_outbox have ''.
CREATE TABLE outbox (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    message_key      TEXT    NOT NULL,
    correlation_id   TEXT    NULL,
    header           TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    passes           INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    recorded_passes  INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NULL,
    last_error       TEXT    NULL,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    completed_at     INTEGER NULL
);
CREATE INDEX ix_outbox_kind_status_seq ON outbox(kind, status, seq);
CREATE INDEX ix_outbox_kind_key ON outbox(kind, message_key, seq);
CREATE INDEX ix_outbox_kind_subject ON outbox(kind, subject, seq);
CREATE INDEX ix_outbox_kind_correlation ON outbox(kind, correlation_id, seq) WHERE correlation_id IS NOT NULL;
CREATE INDEX ix_outbox_unrecorded ON outbox(kind, seq) WHERE recorded_passes < passes;
CREATE INDEX ix_outbox_delivered ON outbox(completed_at) WHERE status = 'sent';

-- Every row kept, each kind in its own order (FHIR first, then notifications: order only matters within a kind).
INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, passes, attempts,
                    recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at)
SELECT 'fhir', patient_id, identifier_system || char(31) || identifier_value, NULL,
       json_object('resourceType', resource_type, 'resourceId', resource_id, 'identifierSystem', identifier_system, 'identifierValue', identifier_value),
       json, content_hash, status, 0, attempts, 0, last_status_code, last_error, created_at, created_at, sent_at
FROM fhir_outbox ORDER BY seq;
INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, passes, attempts,
                    recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at)
SELECT 'notification', patient_id, notification_key || char(31) || channel || char(31) || address, alert_id,
       json_object('recipient', recipient, 'channel', channel, 'address', address),
       payload, '', status, passes, attempts, recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at
FROM notification_outbox ORDER BY seq;
DROP TABLE fhir_outbox;
DROP TABLE notification_outbox;
