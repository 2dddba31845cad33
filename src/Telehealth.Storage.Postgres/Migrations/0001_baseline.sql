-- The care record on PostgreSQL, as the SQLite schema stood at its version 6 (readings excepted: they live in InfluxDB
-- in the scaled deployment). Times are Unix milliseconds (bigint), as in SQLite; documents the platform reads whole
-- are jsonb; sequences are identity columns. Every later change is a new numbered file, never an edit of this one.

-- Telecare events, consciousness, rejections (ingest)
CREATE TABLE telecare_events (
    device_id      text   NOT NULL,
    patient_id     text   NOT NULL,
    type           text   NOT NULL,
    device_time_ms bigint NOT NULL,
    received_at_ms bigint NOT NULL,
    UNIQUE (device_id, type, device_time_ms)
);
CREATE INDEX ix_telecare_events_patient_time ON telecare_events (patient_id, device_time_ms);

CREATE TABLE consciousness_observations (
    patient_id      text   NOT NULL,
    observed_at_ms  bigint NOT NULL,
    level           text   NOT NULL,
    source_kind     text   NOT NULL CHECK (source_kind IN ('device', 'staff')),
    source_id       text   NOT NULL,
    received_at_ms  bigint NOT NULL,
    PRIMARY KEY (patient_id, observed_at_ms)
);

CREATE TABLE rejections (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms     bigint NOT NULL,
    device_id text   NULL,
    source    text   NOT NULL,
    reason    text   NOT NULL,
    detail    text   NOT NULL
);
CREATE INDEX ix_rejections_device ON rejections (device_id, id);
CREATE INDEX ix_rejections_reason ON rejections (reason, id);
CREATE INDEX ix_rejections_at ON rejections (at_ms);
CREATE TABLE rejection_counts (
    reason text   PRIMARY KEY,
    count  bigint NOT NULL
);

-- Evaluation queue: "stored and due"; and which instance evaluates which person now (PostgresEvaluationQueue).
CREATE TABLE evaluation_queue (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     text    NOT NULL,
    item_kind      text    NOT NULL,
    device_id      text    NOT NULL,
    name           text    NOT NULL,
    value          double precision NULL,
    device_time_ms bigint  NOT NULL,
    received_at_ms bigint  NOT NULL,
    enqueued_at_ms bigint  NOT NULL,
    attempts       integer NOT NULL DEFAULT 0,
    due_at_ms      bigint  NOT NULL,
    last_error     text    NULL,
    done_at_ms     bigint  NULL,
    interval_ms    bigint  NULL,
    UNIQUE (item_kind, device_id, name, device_time_ms)
);
CREATE INDEX ix_evaluation_queue_pending ON evaluation_queue (patient_id, seq) WHERE done_at_ms IS NULL;
CREATE INDEX ix_evaluation_queue_pending_seq ON evaluation_queue (seq) WHERE done_at_ms IS NULL;
CREATE INDEX ix_evaluation_queue_done ON evaluation_queue (done_at_ms) WHERE done_at_ms IS NOT NULL;
-- One row per person an instance has claimed items of: no other instance claims that person's items until every
-- item up to claimed_through is done (then the row is deleted) or the lease has run out (the owner died).
CREATE TABLE evaluation_leases (
    patient_id      text   PRIMARY KEY,
    owner           text   NOT NULL,
    lease_until_ms  bigint NOT NULL,
    claimed_through bigint NOT NULL
);

-- Devices and their assignments
CREATE TABLE devices (
    device_id        text    PRIMARY KEY,
    patient_id       text    NOT NULL,
    type             text    NOT NULL,
    secret_salt      bytea   NOT NULL,
    secret_hash      bytea   NOT NULL,
    registered_at_ms bigint  NOT NULL,
    last_seen_at_ms  bigint  NULL,
    battery_percent  integer NULL,
    assigned         boolean NOT NULL DEFAULT true,
    revoked_at_ms    bigint  NULL,
    model            text    NULL,
    serial_number    text    NULL,
    firmware         text    NULL,
    clock_offset_ms  bigint  NULL,
    provisioned_by   text    NULL,
    broker_hash      text    NULL,
    nats_hash        text    NULL
);
CREATE INDEX ix_devices_patient ON devices (patient_id);
CREATE TABLE device_assignments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id  text   NOT NULL,
    patient_id text   NOT NULL,
    from_ms    bigint NULL,
    to_ms      bigint NULL
);
CREATE INDEX ix_device_assignments_device ON device_assignments (device_id, from_ms);

-- Patients, care settings, thresholds. on_supplemental_oxygen: true oxygen, false air, NULL not known.
CREATE TABLE patients (
    id                     text    PRIMARY KEY,
    display_name           text    NOT NULL,
    nhs_number             text    NULL,
    date_of_birth          date    NULL,
    news2_scale            integer NOT NULL,
    on_supplemental_oxygen boolean NULL,
    team_id                text    NOT NULL,
    created_at             bigint  NOT NULL
);
-- Unique within a team's caseload, not across teams (see the SQLite baseline for why).
CREATE UNIQUE INDEX ux_patients_team_nhs_number ON patients (team_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX ix_patients_team ON patients (team_id);
CREATE TABLE patient_care_settings_history (
    patient_id             text    NOT NULL,
    seq                    integer NOT NULL,
    changed_at             bigint  NOT NULL,
    changed_by             text    NOT NULL,
    reason                 text    NOT NULL,
    previous_scale         integer NOT NULL,
    previous_oxygen        boolean NULL,
    news2_scale            integer NOT NULL,
    on_supplemental_oxygen boolean NULL,
    PRIMARY KEY (patient_id, seq)
);

CREATE TABLE patient_thresholds (
    patient_id    text NOT NULL,
    kind          text NOT NULL,
    critical_low  double precision NULL,
    low           double precision NULL,
    high          double precision NULL,
    critical_high double precision NULL,
    set_by        text   NOT NULL,
    set_at        bigint NOT NULL,
    PRIMARY KEY (patient_id, kind)
);
CREATE TABLE patient_threshold_history (
    patient_id text    NOT NULL,
    set_at     bigint  NOT NULL,
    seq        integer NOT NULL,
    set_by     text    NOT NULL,
    overrides  jsonb   NOT NULL,
    PRIMARY KEY (patient_id, set_at, seq)
);

-- Alerts, the append-only alert event log and its followers' cursors. row_seq keeps insertion order (SQLite's rowid).
CREATE TABLE alerts (
    id            text    PRIMARY KEY,
    row_seq       bigint  GENERATED ALWAYS AS IDENTITY,
    patient_id    text    NOT NULL,
    condition_key text    NOT NULL,
    incident_id   text    NOT NULL,
    severity      integer NOT NULL,
    status        text    NOT NULL,
    raised_at     bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    respond_by    bigint  NOT NULL,
    alert_json    jsonb   NOT NULL,
    version       bigint  NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_alerts_not_resolved ON alerts (patient_id, condition_key) WHERE status <> 'resolved';
CREATE INDEX ix_alerts_patient_raised ON alerts (patient_id, raised_at);
CREATE INDEX ix_alerts_raised ON alerts (raised_at);
CREATE INDEX ix_alerts_status_respond_by ON alerts (status, respond_by);
CREATE TABLE alert_events (
    seq        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id   text    NOT NULL,
    patient_id text    NOT NULL,
    type       text    NOT NULL,
    actor      text    NOT NULL,
    at_ms      bigint  NOT NULL,
    reason     text    NOT NULL,
    subject    text    NULL,
    until_ms   bigint  NULL,
    severity   integer NULL,
    alert_json jsonb   NOT NULL
);
CREATE INDEX ix_alert_events_alert ON alert_events (alert_id, seq);
CREATE INDEX ix_alert_events_patient ON alert_events (patient_id, seq);
CREATE TABLE alert_event_cursors (
    follower text   PRIMARY KEY,
    seq      bigint NOT NULL
);

CREATE TABLE news2_assessments (
    id               text    PRIMARY KEY,
    patient_id       text    NOT NULL,
    total            integer NOT NULL,
    risk             text    NOT NULL,
    scale            integer NOT NULL,
    parameter_scores jsonb   NOT NULL,
    missing          jsonb   NOT NULL,
    basis            jsonb   NOT NULL,
    observed_at      bigint  NOT NULL,
    assessed_at      bigint  NOT NULL
);
CREATE INDEX ix_news2_patient_observed ON news2_assessments (patient_id, observed_at);

-- Rule state and wake-ups. state_json is the rule's own text, kept byte for byte (text, not jsonb).
CREATE TABLE rule_states (
    patient_id  text   NOT NULL,
    rule_key    text   NOT NULL,
    state_json  text   NOT NULL,
    device_id   text   NULL,
    device_type text   NULL,
    since_ms    bigint NOT NULL,
    updated_ms  bigint NOT NULL,
    PRIMARY KEY (patient_id, rule_key)
);
CREATE TABLE rule_wakeups (
    patient_id text   NOT NULL,
    rule_key   text   NOT NULL,
    wake_at_ms bigint NOT NULL,
    PRIMARY KEY (patient_id, rule_key)
);
CREATE INDEX ix_rule_wakeups_due ON rule_wakeups (wake_at_ms);

-- Escalation
CREATE TABLE escalation_timers (
    alert_id   text   PRIMARY KEY,
    patient_id text   NOT NULL,
    due_at     bigint NOT NULL,
    version    bigint NOT NULL
);
CREATE INDEX ix_escalation_timers_due ON escalation_timers (due_at);
CREATE TABLE team_rotas (
    team_id    text   PRIMARY KEY,
    rota       jsonb  NOT NULL,
    updated_at bigint NOT NULL,
    updated_by text   NOT NULL
);

-- Staff, teams and sign-in
CREATE TABLE staff_users (
    username       text   PRIMARY KEY,
    role           text   NOT NULL,
    team_id        text   NOT NULL,
    password_salt  bytea  NOT NULL,
    password_hash  bytea  NOT NULL,
    created_at_ms  bigint NOT NULL,
    disabled_at_ms bigint NULL
);
CREATE TABLE sign_in_failures (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms    bigint NOT NULL,
    username text   NOT NULL,
    source   text   NOT NULL,
    reason   text   NOT NULL
);
CREATE INDEX ix_sign_in_failures_at ON sign_in_failures (at_ms);
CREATE TABLE teams (
    id            text   PRIMARY KEY,
    name          text   NOT NULL,
    created_at_ms bigint NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (lower(name));

-- Monitoring plans, contacts, audit
CREATE TABLE monitoring_plans (
    patient_id    text   PRIMARY KEY,
    plan_json     jsonb  NOT NULL,
    changed_at_ms bigint NOT NULL
);
CREATE TABLE monitoring_plan_history (
    patient_id    text    NOT NULL,
    seq           integer NOT NULL,
    plan_json     jsonb   NOT NULL,
    changed_at_ms bigint  NOT NULL,
    changed_by    text    NOT NULL,
    reason        text    NOT NULL,
    PRIMARY KEY (patient_id, seq)
);
CREATE TABLE patient_contacts (
    patient_id    text   PRIMARY KEY,
    contacts_json jsonb  NOT NULL,
    updated_by    text   NOT NULL,
    updated_at_ms bigint NOT NULL
);
CREATE TABLE audit_log (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms      bigint NOT NULL,
    actor      text   NOT NULL,
    role       text   NOT NULL,
    patient_id text   NOT NULL,
    team_id    text   NOT NULL,
    action     text   NOT NULL,
    resource   text   NOT NULL
);
CREATE INDEX ix_audit_patient ON audit_log (patient_id, seq);
CREATE INDEX ix_audit_team ON audit_log (team_id, seq);

-- One outbox for every kind of outgoing message. header and payload are the adapters' text, sent byte for byte (text,
-- not jsonb). lease_owner / lease_until: the instance sending a row now (PostgresOutbox.ClaimPendingAsync), so two
-- instances never send the same row.
CREATE TABLE outbox (
    seq              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text    NOT NULL,
    subject          text    NOT NULL,
    message_key      text    NOT NULL,
    correlation_id   text    NULL,
    header           text    NOT NULL,
    payload          text    NOT NULL,
    content_hash     text    NOT NULL,
    status           text    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    passes           integer NOT NULL DEFAULT 0,
    attempts         integer NOT NULL DEFAULT 0,
    recorded_passes  integer NOT NULL DEFAULT 0,
    last_status_code integer NULL,
    last_error       text    NULL,
    next_attempt_at  bigint  NOT NULL,
    created_at       bigint  NOT NULL,
    completed_at     bigint  NULL,
    lease_owner      text    NULL,
    lease_until      bigint  NULL
);
CREATE INDEX ix_outbox_kind_status_seq ON outbox (kind, status, seq);
CREATE INDEX ix_outbox_kind_key ON outbox (kind, message_key, seq);
CREATE INDEX ix_outbox_kind_subject ON outbox (kind, subject, seq);
CREATE INDEX ix_outbox_kind_correlation ON outbox (kind, correlation_id, seq) WHERE correlation_id IS NOT NULL;
CREATE INDEX ix_outbox_unrecorded ON outbox (kind, seq) WHERE recorded_passes < passes;
CREATE INDEX ix_outbox_delivered ON outbox (completed_at) WHERE status = 'sent';
