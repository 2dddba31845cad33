-- Each person's goals and care plan (SQLite migration 0007): the plan as it stands (its version counts every change
-- to goals or activities; the activities as JSON), each goal as it stands, and every saved version with who, when and
-- why (care_plan_history, append-only; snapshot_json is the goal or the activities as saved, kept byte for byte).
CREATE TABLE care_plans (
    patient_id      text    NOT NULL PRIMARY KEY,
    version         integer NOT NULL,
    activities_json text    NOT NULL,
    created_at_ms   bigint  NOT NULL,
    changed_at_ms   bigint  NOT NULL,
    changed_by      text    NOT NULL,
    reason          text    NOT NULL
);
CREATE TABLE care_goals (
    goal_id              uuid    NOT NULL PRIMARY KEY,
    patient_id           text    NOT NULL,
    version              integer NOT NULL,
    description          text    NOT NULL,
    target_measure       text    NULL,
    target_date          date    NULL,
    status               text    NOT NULL,
    created_at_ms        bigint  NOT NULL,
    status_changed_at_ms bigint  NOT NULL,
    changed_at_ms        bigint  NOT NULL,
    changed_by           text    NOT NULL,
    reason               text    NOT NULL
);
CREATE INDEX ix_care_goals_patient ON care_goals (patient_id, created_at_ms);
CREATE TABLE care_plan_history (
    patient_id    text    NOT NULL,
    seq           integer NOT NULL,
    kind          text    NOT NULL,
    goal_id       uuid    NULL,
    goal_version  integer NULL,
    summary       text    NOT NULL,
    snapshot_json text    NOT NULL,
    changed_at_ms bigint  NOT NULL,
    changed_by    text    NOT NULL,
    reason        text    NOT NULL,
    PRIMARY KEY (patient_id, seq)
);
