-- Each person's goals and care plan (issue 8, "the whole person in one view"): the plan as it stands (care_plans: its
-- version, counting every change to goals or activities, and the activities as JSON), each goal as it stands
-- (care_goals), and every saved version with who, when and why (care_plan_history, append-only; snapshot_json is the
-- goal or the activities list as saved). Written by SqliteCarePlanStore only.
CREATE TABLE care_plans (
    patient_id      TEXT    NOT NULL PRIMARY KEY,
    version         INTEGER NOT NULL,
    activities_json TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    changed_at_ms   INTEGER NOT NULL,
    changed_by      TEXT    NOT NULL,
    reason          TEXT    NOT NULL
);
CREATE TABLE care_goals (
    goal_id              TEXT    NOT NULL PRIMARY KEY,
    patient_id           TEXT    NOT NULL,
    version              INTEGER NOT NULL,
    description          TEXT    NOT NULL,
    target_measure       TEXT,
    target_date          TEXT,
    status               TEXT    NOT NULL,
    created_at_ms        INTEGER NOT NULL,
    status_changed_at_ms INTEGER NOT NULL,
    changed_at_ms        INTEGER NOT NULL,
    changed_by           TEXT    NOT NULL,
    reason               TEXT    NOT NULL
);
CREATE INDEX ix_care_goals_patient ON care_goals (patient_id, created_at_ms);
CREATE TABLE care_plan_history (
    patient_id    TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    goal_id       TEXT,
    goal_version  INTEGER,
    summary       TEXT    NOT NULL,
    snapshot_json TEXT    NOT NULL,
    changed_at_ms INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    PRIMARY KEY (patient_id, seq)
);
