-- A device message carries several readings of one device at one time (an oximeter: SpO2 and pulse). The unique keys
-- put kind (or name) before the time, so a message's readings landed on different pages of each key, and as every
-- ingest commit holds about one message per device (MQTTnet handles one PUBLISH per connection at a time), each such
-- key cost a page per reading per commit: 5.3 pages (21 KB of WAL) per reading in the embedded bench. The same keys
-- with the time before the kind hold the same rows unique and put a message's readings side by side. SQLite cannot
-- change a table's UNIQUE constraint, so both tables are rebuilt, keeping every row (and the queue's sequence numbers,
-- which are never reused).
--
-- vital_readings also loses its (patient, time) index: the one query that used it (a person's readings of every kind
-- in a time range) now asks for each kind in the (patient, kind, time) index, which costs a few more seeks per page
-- of the chart and saved a page per person per commit.

CREATE TABLE vital_readings_next (
    device_id      TEXT    NOT NULL,
    patient_id     TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    value          REAL    NOT NULL,
    device_time_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    UNIQUE (device_id, device_time_ms, kind)
);
INSERT INTO vital_readings_next (device_id, patient_id, kind, value, device_time_ms, received_at_ms)
    SELECT device_id, patient_id, kind, value, device_time_ms, received_at_ms FROM vital_readings ORDER BY rowid;
DROP TABLE vital_readings;
ALTER TABLE vital_readings_next RENAME TO vital_readings;
CREATE INDEX ix_vital_readings_patient_kind_time ON vital_readings (patient_id, kind, device_time_ms);

CREATE TABLE evaluation_queue_next (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id     TEXT    NOT NULL,
    item_kind      TEXT    NOT NULL,
    device_id      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    value          REAL    NULL,
    device_time_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    enqueued_at_ms INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    due_at_ms      INTEGER NOT NULL,
    last_error     TEXT    NULL,
    done_at_ms     INTEGER NULL,
    interval_ms    INTEGER NULL,
    UNIQUE (item_kind, device_id, device_time_ms, name)
);
INSERT INTO evaluation_queue_next (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
        enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms)
    SELECT seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
        enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms
    FROM evaluation_queue ORDER BY seq;
-- The next sequence number continues after the highest ever given, even when the rows that had it were swept.
DELETE FROM sqlite_sequence WHERE name = 'evaluation_queue_next';
INSERT INTO sqlite_sequence (name, seq) SELECT 'evaluation_queue_next', seq FROM sqlite_sequence WHERE name = 'evaluation_queue';
DROP TABLE evaluation_queue;
ALTER TABLE evaluation_queue_next RENAME TO evaluation_queue;
CREATE INDEX ix_evaluation_queue_pending ON evaluation_queue (patient_id, seq) WHERE done_at_ms IS NULL;
CREATE INDEX ix_evaluation_queue_done ON evaluation_queue (done_at_ms) WHERE done_at_ms IS NOT NULL;
CREATE INDEX ix_evaluation_queue_pending_seq ON evaluation_queue (seq) WHERE done_at_ms IS NULL;
CREATE INDEX ix_evaluation_queue_pending_due ON evaluation_queue (due_at_ms) WHERE done_at_ms IS NULL;
