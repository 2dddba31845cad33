-- The staff workspace: teams by name, each person's phones and contacts for telephone work, and the append-only
-- audit of every view and change of a person's record (who, role, when, what; never the values). Staff accounts can
-- be disabled, and the role once called call_handler is telephone_support.
CREATE TABLE teams (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams(name COLLATE NOCASE);

CREATE TABLE patient_contacts (
    patient_id     TEXT PRIMARY KEY,
    contacts_json  TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms       INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    patient_id  TEXT    NOT NULL,
    team_id     TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    resource    TEXT    NOT NULL
);
CREATE INDEX ix_audit_patient ON audit_log(patient_id, seq);
CREATE INDEX ix_audit_team ON audit_log(team_id, seq);
ALTER TABLE staff_users ADD COLUMN disabled_at_ms INTEGER NULL;
UPDATE staff_users SET role = 'telephone_support' WHERE role = 'call_handler';
