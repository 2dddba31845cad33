using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite.Migrations;

/// <summary>
/// The schema changes the stores used to make by themselves at start, before migrations were versioned. They run
/// only when a database from before versioning is adopted, each only when its older shape is there, so a database
/// made by any earlier release reaches the baseline with every row kept.
/// </summary>
internal static class SqliteLegacyUpgrades
{
    // Databases made before oxygen could be unknown have on_supplemental_oxygen NOT NULL. SQLite cannot relax a
    // column's constraint in place, so the table is rebuilt once (the documented 12-step way), keeping every row's value.
    private const string NullableOxygen = """
        CREATE TABLE patients_migrating (
            id                      TEXT PRIMARY KEY,
            display_name            TEXT NOT NULL,
            nhs_number              TEXT NULL,
            date_of_birth           TEXT NULL,
            news2_scale             INTEGER NOT NULL,
            on_supplemental_oxygen  INTEGER NULL,
            team_id                 TEXT NOT NULL,
            created_at              INTEGER NOT NULL
        );
        INSERT INTO patients_migrating (id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at)
            SELECT id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at FROM patients;
        DROP TABLE patients;
        ALTER TABLE patients_migrating RENAME TO patients;
        """;

    // Device columns added after the first release (ALTER TABLE appends them, as the baseline lists them).
    private static readonly (string Name, string Definition)[] AddedDeviceColumns =
    [
        ("assigned", "INTEGER NOT NULL DEFAULT 1"),
        ("revoked_at_ms", "INTEGER NULL"),
        ("model", "TEXT NULL"),
        ("serial_number", "TEXT NULL"),
        ("firmware", "TEXT NULL"),
        ("clock_offset_ms", "INTEGER NULL"),
        ("provisioned_by", "TEXT NULL"),
        ("broker_hash", "TEXT NULL"),
    ];

    /// <summary>Shape changes, before the database is compared with the baseline.</summary>
    public static void UpgradeShape(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (Scalar(connection, transaction, "SELECT \"notnull\" FROM pragma_table_info('patients') WHERE name = 'on_supplemental_oxygen'") == 1)
        {
            Execute(connection, transaction, NullableOxygen);
        }
        // An NHS number was once unique across teams (an oracle about other teams' patients): now per team.
        Execute(connection, transaction, "DROP INDEX IF EXISTS ux_patients_nhs_number");
        if (Scalar(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'devices'") == 1)
        {
            var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var info = connection.CreateCommand())
            {
                info.Transaction = transaction;
                info.CommandText = "SELECT name FROM pragma_table_info('devices')";
                using var reader = info.ExecuteReader();
                while (reader.Read())
                {
                    existing.Add(reader.GetString(0));
                }
            }
            foreach (var (name, definition) in AddedDeviceColumns.Where(c => !existing.Contains(c.Name)))
            {
                Execute(connection, transaction, $"ALTER TABLE devices ADD COLUMN {name} {definition}");
            }
        }
    }

    /// <summary>Rows older versions lacked, after the baseline has made every table.</summary>
    public static void BackfillRows(SqliteConnection connection, SqliteTransaction transaction)
    {
        // Devices registered before assignment history existed: one open assignment to their person.
        Execute(connection, transaction, """
            INSERT INTO device_assignments (device_id, patient_id, from_ms, to_ms)
            SELECT d.device_id, d.patient_id, NULL, NULL FROM devices d
            WHERE NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.device_id)
            """);
        // Overrides set before the threshold history existed have no history row, so "in force at a time" answered the
        // defaults while the current set held the override: FHIR interpretation and the alert decision disagreed. Seed
        // each such patient's history with their overrides from when they were set.
        Execute(connection, transaction, """
            INSERT INTO patient_threshold_history (patient_id, set_at, seq, set_by, overrides)
            SELECT t.patient_id, MIN(t.set_at), 0, MIN(t.set_by),
                   json_group_array(json_object('Kind', t.kind, 'CriticalLow', t.critical_low, 'Low', t.low, 'High', t.high, 'CriticalHigh', t.critical_high))
            FROM patient_thresholds t
            WHERE NOT EXISTS (SELECT 1 FROM patient_threshold_history h WHERE h.patient_id = t.patient_id)
            GROUP BY t.patient_id
            """);
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
