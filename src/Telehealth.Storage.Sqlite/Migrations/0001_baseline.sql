-- The care record as every store created it before versioned migrations (main at 761bac0). A database made by those
-- versions is adopted as version 1 when its tables have these columns (see SqliteMigrator); every later change is a
-- new numbered file, never an edit of this one.

-- Readings, telecare events, consciousness, rejections (ingest)
CREATE TABLE IF NOT EXISTS vital_readings (
    device_id      TEXT    NOT NULL,
    patient_id     TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    value          REAL    NOT NULL,
    device_time_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    UNIQUE (device_id, kind, device_time_ms)
);
CREATE INDEX IF NOT EXISTS ix_vital_readings_patient_kind_time ON vital_readings (patient_id, kind, device_time_ms);
CREATE INDEX IF NOT EXISTS ix_vital_readings_patient_time ON vital_readings (patient_id, device_time_ms);

CREATE TABLE IF NOT EXISTS telecare_events (
    device_id      TEXT    NOT NULL,
    patient_id     TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    device_time_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    UNIQUE (device_id, type, device_time_ms)
);
CREATE INDEX IF NOT EXISTS ix_telecare_events_patient_time ON telecare_events (patient_id, device_time_ms);

CREATE TABLE IF NOT EXISTS consciousness_observations (
    patient_id      TEXT    NOT NULL,
    observed_at_ms  INTEGER NOT NULL,
    level           TEXT    NOT NULL,
    source_kind     TEXT    NOT NULL CHECK (source_kind IN ('device', 'staff')),
    source_id       TEXT    NOT NULL,
    received_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (patient_id, observed_at_ms)
);

CREATE TABLE IF NOT EXISTS rejections (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms     INTEGER NOT NULL,
    device_id TEXT    NULL,
    source    TEXT    NOT NULL,
    reason    TEXT    NOT NULL,
    detail    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rejections_device ON rejections (device_id, id);
CREATE INDEX IF NOT EXISTS ix_rejections_reason ON rejections (reason, id);
CREATE INDEX IF NOT EXISTS ix_rejections_at ON rejections (at_ms);
CREATE TABLE IF NOT EXISTS rejection_counts (
    reason TEXT    PRIMARY KEY,
    count  INTEGER NOT NULL
);

-- Evaluation queue: "stored and due"
CREATE TABLE IF NOT EXISTS evaluation_queue (
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
    UNIQUE (item_kind, device_id, name, device_time_ms)
);
CREATE INDEX IF NOT EXISTS ix_evaluation_queue_pending ON evaluation_queue (patient_id, seq) WHERE done_at_ms IS NULL;
CREATE INDEX IF NOT EXISTS ix_evaluation_queue_done ON evaluation_queue (done_at_ms) WHERE done_at_ms IS NOT NULL;

-- Devices and their assignments
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL,
    type TEXT NOT NULL,
    secret_salt BLOB NOT NULL,
    secret_hash BLOB NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    last_seen_at_ms INTEGER NULL,
    battery_percent INTEGER NULL,
    assigned INTEGER NOT NULL DEFAULT 1,
    revoked_at_ms INTEGER NULL,
    model TEXT NULL,
    serial_number TEXT NULL,
    firmware TEXT NULL,
    clock_offset_ms INTEGER NULL,
    provisioned_by TEXT NULL,
    broker_hash TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_devices_patient ON devices(patient_id);
CREATE TABLE IF NOT EXISTS device_assignments (
    device_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    from_ms INTEGER NULL,
    to_ms INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_device_assignments_device ON device_assignments(device_id, from_ms);

-- Patients, care settings, thresholds. on_supplemental_oxygen: 1 oxygen, 0 air, NULL not known (NEWS2 then scores
-- air/oxygen as missing).
CREATE TABLE IF NOT EXISTS patients (
    id                      TEXT PRIMARY KEY,
    display_name            TEXT NOT NULL,
    nhs_number              TEXT NULL,
    date_of_birth           TEXT NULL,
    news2_scale             INTEGER NOT NULL,
    on_supplemental_oxygen  INTEGER NULL,
    team_id                 TEXT NOT NULL,
    created_at              INTEGER NOT NULL
);
-- An NHS number is unique within a team's caseload, not across teams: a global check would answer one team
-- "this number exists" about another team's patient (an oracle). Each team keeps its own record of a person;
-- linking records across teams is left to the national services that own identity (PDS).
CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_team_nhs_number ON patients(team_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_patients_team ON patients(team_id);
-- Every change of NEWS2 scale or oxygen after creation: who, when, why, before and after (append-only).
CREATE TABLE IF NOT EXISTS patient_care_settings_history (
    patient_id        TEXT    NOT NULL,
    seq               INTEGER NOT NULL,
    changed_at        INTEGER NOT NULL,
    changed_by        TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    previous_scale    INTEGER NOT NULL,
    previous_oxygen   INTEGER NULL,
    news2_scale       INTEGER NOT NULL,
    on_supplemental_oxygen INTEGER NULL,
    PRIMARY KEY (patient_id, seq)
);

CREATE TABLE IF NOT EXISTS patient_thresholds (
    patient_id     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    critical_low   REAL NULL,
    low            REAL NULL,
    high           REAL NULL,
    critical_high  REAL NULL,
    set_by         TEXT NOT NULL,
    set_at         INTEGER NOT NULL,
    PRIMARY KEY (patient_id, kind)
);
-- Every set of overrides ever in force, so a reading can be judged (and shown in FHIR) against the
-- thresholds that applied when it was measured, not today's.
CREATE TABLE IF NOT EXISTS patient_threshold_history (
    patient_id  TEXT NOT NULL,
    set_at      INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    set_by      TEXT NOT NULL,
    overrides   TEXT NOT NULL,
    PRIMARY KEY (patient_id, set_at, seq)
);

-- Alerts, the append-only alert event log and its followers' cursors
CREATE TABLE IF NOT EXISTS alerts (
    id             TEXT PRIMARY KEY,
    patient_id     TEXT NOT NULL,
    condition_key  TEXT NOT NULL,
    incident_id    TEXT NOT NULL,
    severity       INTEGER NOT NULL,
    status         TEXT NOT NULL,
    raised_at      INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    respond_by     INTEGER NOT NULL,
    alert_json     TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_alerts_not_resolved ON alerts(patient_id, condition_key)
    WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS ix_alerts_patient_raised ON alerts(patient_id, raised_at);
CREATE INDEX IF NOT EXISTS ix_alerts_raised ON alerts(raised_at);
CREATE INDEX IF NOT EXISTS ix_alerts_status_respond_by ON alerts(status, respond_by);
CREATE TABLE IF NOT EXISTS alert_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id    TEXT    NOT NULL,
    patient_id  TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    subject     TEXT    NULL,
    until_ms    INTEGER NULL,
    severity    INTEGER NULL,
    alert_json  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_alert_events_alert ON alert_events(alert_id, seq);
CREATE INDEX IF NOT EXISTS ix_alert_events_patient ON alert_events(patient_id, seq);
CREATE TABLE IF NOT EXISTS alert_event_cursors (
    follower TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS news2_assessments (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL,
    total            INTEGER NOT NULL,
    risk             TEXT NOT NULL,
    scale            INTEGER NOT NULL,
    parameter_scores TEXT NOT NULL,
    missing          TEXT NOT NULL,
    basis            TEXT NOT NULL,
    observed_at      INTEGER NOT NULL,
    assessed_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_news2_patient_observed ON news2_assessments(patient_id, observed_at);

-- Rule state and wake-ups
CREATE TABLE IF NOT EXISTS rule_states (
    patient_id   TEXT    NOT NULL,
    rule_key     TEXT    NOT NULL,
    state_json   TEXT    NOT NULL,
    device_id    TEXT    NULL,
    device_type  TEXT    NULL,
    since_ms     INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    PRIMARY KEY (patient_id, rule_key)
);
CREATE TABLE IF NOT EXISTS rule_wakeups (
    patient_id   TEXT    NOT NULL,
    rule_key     TEXT    NOT NULL,
    wake_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (patient_id, rule_key)
);
CREATE INDEX IF NOT EXISTS ix_rule_wakeups_due ON rule_wakeups (wake_at_ms);

-- Escalation
CREATE TABLE IF NOT EXISTS escalation_timers (
    alert_id   TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL,
    due_at     INTEGER NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_escalation_timers_due ON escalation_timers(due_at);
CREATE TABLE IF NOT EXISTS team_rotas (
    team_id    TEXT PRIMARY KEY,
    rota       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

-- Staff and sign-in
CREATE TABLE IF NOT EXISTS staff_users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    team_id TEXT NOT NULL,
    password_salt BLOB NOT NULL,
    password_hash BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms    INTEGER NOT NULL,
    username TEXT    NOT NULL,
    source   TEXT    NOT NULL,
    reason   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_sign_in_failures_at ON sign_in_failures (at_ms);

-- Outboxes (FHIR pushes, notifications)
CREATE TABLE IF NOT EXISTS fhir_outbox (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id        TEXT NOT NULL,
    resource_type     TEXT NOT NULL,
    resource_id       TEXT NOT NULL,
    identifier_system TEXT NOT NULL,
    identifier_value  TEXT NOT NULL,
    json              TEXT NOT NULL,
    content_hash      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_status_code  INTEGER NULL,
    last_error        TEXT NULL,
    created_at        INTEGER NOT NULL,
    sent_at           INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_fhir_outbox_status_seq ON fhir_outbox(status, seq);
CREATE INDEX IF NOT EXISTS ix_fhir_outbox_identifier ON fhir_outbox(identifier_system, identifier_value, seq);
CREATE INDEX IF NOT EXISTS ix_fhir_outbox_patient ON fhir_outbox(patient_id, seq);
CREATE TABLE IF NOT EXISTS notification_outbox (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_key  TEXT NOT NULL,
    alert_id          TEXT NOT NULL,
    patient_id        TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    channel           TEXT NOT NULL,
    address           TEXT NOT NULL,
    payload           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    passes            INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    recorded_passes   INTEGER NOT NULL DEFAULT 0,
    last_status_code  INTEGER NULL,
    last_error        TEXT NULL,
    next_attempt_at   INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    completed_at      INTEGER NULL,
    UNIQUE (notification_key, channel, address)
);
CREATE INDEX IF NOT EXISTS ix_notification_outbox_status_seq ON notification_outbox(status, seq);
CREATE INDEX IF NOT EXISTS ix_notification_outbox_alert ON notification_outbox(alert_id, seq);
CREATE INDEX IF NOT EXISTS ix_notification_outbox_unrecorded ON notification_outbox(seq) WHERE recorded_passes < passes;
