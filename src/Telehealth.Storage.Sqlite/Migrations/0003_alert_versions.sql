-- Every write of an alert adds one to its version, and a staff action is recorded only if the alert is still at the
-- version it was decided on: "two people cannot take the same alert" holds across processes sharing the file, not
-- only inside one (SqliteAlertStore, AlertCommit.ExpectedVersions).
ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
