-- The unique keys of vital_readings and evaluation_queue now begin with the device time. They are only ever asked
-- with every column given (is this reading, or this queue item, already there?), so the order of the columns changes
-- no answer; it changes where a new row's entry goes. Device first, each ingest commit (about one message from each
-- of 20-50 devices) wrote one page of each key per device; time first, devices that send "now" all append at the end
-- of the key. Measured on a copy of the embedded bench's database, a commit of 44 readings (22 devices, 2 readings
-- each) wrote 158 pages of WAL before and 82 after. A reading sent late (a device that was offline) lands among its
-- own time's rows instead, which is where the old key put every reading.
--
-- The readings' retention delete (device_time_ms < cutoff) is now an index range, not a walk of the whole table.
-- SQLite cannot change a table's UNIQUE constraint, so both tables are rebuilt, keeping every row (and the queue's
-- sequence numbers, which are never reused).

CREATE TABLE vital_readings_next (
    device_id      TEXT    NOT NULL,
    patient_id     TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    value          REAL    NOT NULL,
    device_time_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    UNIQUE (device_time_ms, device_id, kind)
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
    UNIQUE (device_time_ms, item_kind, device_id, name)
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
