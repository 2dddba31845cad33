-- What staff expect to hear for each person (readings due by a local time, movement windows, staff-set heartbeats):
-- the plan in force, and every saved version with who, when and why (append-only). The plan is JSON with wire
-- names and plain numbers (SqliteMonitoringPlanStore), read whole by the rules of one person.
CREATE TABLE monitoring_plans (
    patient_id    TEXT    NOT NULL PRIMARY KEY,
    plan_json     TEXT    NOT NULL,
    changed_at_ms INTEGER NOT NULL
);
CREATE TABLE monitoring_plan_history (
    patient_id    TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    plan_json     TEXT    NOT NULL,
    changed_at_ms INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    PRIMARY KEY (patient_id, seq)
);
