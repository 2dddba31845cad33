using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Caseload;

public sealed class SqlitePatientRepository : IPatientRepository
{
    // on_supplemental_oxygen: 1 oxygen, 0 air, NULL not known (NEWS2 then scores air/oxygen as missing).
    private const string Schema = """
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
        DROP INDEX IF EXISTS ux_patients_nhs_number;
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
        """;

    // Databases made before oxygen could be unknown have on_supplemental_oxygen NOT NULL. SQLite cannot relax a
    // column's constraint in place, so the table is rebuilt once (the documented 12-step way), keeping every row's value.
    private const string NullableOxygenMigration = """
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
        CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_team_nhs_number ON patients(team_id, nhs_number) WHERE nhs_number IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_patients_team ON patients(team_id);
        """;

    private const string Columns = "id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at";

    private readonly SqliteDatabase _database;
    private readonly SchemaGate _schema;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private volatile bool _migrated;

    public SqlitePatientRepository(SqliteDatabase database)
    {
        _database = database;
        _schema = new SchemaGate(database, Schema);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => EnsureSchemaAsync(cancellationToken);

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }
        await _schema.EnsureAsync(cancellationToken);
        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await MigrateAsync(cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = "SELECT \"notnull\" FROM pragma_table_info('patients') WHERE name = 'on_supplemental_oxygen'";
        if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture) == 1)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = NullableOxygenMigration;
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO patients ({Columns})
            VALUES ($id, $name, $nhs, $dob, $scale, $oxygen, $team, $created)
            ON CONFLICT DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", patient.Id);
        command.Parameters.AddWithValue("$name", patient.DisplayName);
        command.Parameters.AddWithValue("$nhs", (object?)patient.NhsNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("$dob", patient.DateOfBirth is { } dob ? dob.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value);
        command.Parameters.AddWithValue("$scale", (int)patient.News2Scale);
        command.Parameters.AddWithValue("$oxygen", OxygenValue(patient.OnSupplementalOxygen));
        command.Parameters.AddWithValue("$team", patient.TeamId);
        command.Parameters.AddWithValue("$created", SqliteTime.ToUnixMs(patient.CreatedAt));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return PatientCreateResult.Created;
        }
        // Nothing inserted: tell the caller which uniqueness rule it broke.
        return await ExistsAsync(patient.Id, cancellationToken) ? PatientCreateResult.DuplicateId : PatientCreateResult.DuplicateNhsNumber;
    }

    public async Task<PatientRecord?> GetAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM patients WHERE id = $id";
        command.Parameters.AddWithValue("$id", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM patients WHERE $team IS NULL OR team_id = $team ORDER BY display_name COLLATE NOCASE, id";
        command.Parameters.AddWithValue("$team", (object?)teamId ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var patients = new List<PatientRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(Read(reader));
        }
        return patients;
    }

    public async Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM patients WHERE id = $id)";
        command.Parameters.AddWithValue("$id", patientId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<PatientRecord?> UpdateCareSettingsAsync(string patientId, CareSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(update);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        // Microsoft.Data.Sqlite begins IMMEDIATE transactions: the read of the values before and the write after are one step, so two changes at once cannot
        // both record the same "before".
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        PatientRecord? before;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT {Columns} FROM patients WHERE id = $id";
            read.Parameters.AddWithValue("$id", patientId);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            before = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        if (before is null)
        {
            return null;
        }
        await using (var write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "UPDATE patients SET news2_scale = $scale, on_supplemental_oxygen = $oxygen WHERE id = $id";
            write.Parameters.AddWithValue("$id", patientId);
            write.Parameters.AddWithValue("$scale", (int)update.News2Scale);
            write.Parameters.AddWithValue("$oxygen", OxygenValue(update.OnSupplementalOxygen));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.Transaction = transaction;
            history.CommandText = """
                INSERT INTO patient_care_settings_history
                    (patient_id, seq, changed_at, changed_by, reason, previous_scale, previous_oxygen, news2_scale, on_supplemental_oxygen)
                VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM patient_care_settings_history WHERE patient_id = $id),
                        $at, $by, $reason, $previousScale, $previousOxygen, $scale, $oxygen)
                """;
            history.Parameters.AddWithValue("$id", patientId);
            history.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(update.At));
            history.Parameters.AddWithValue("$by", update.ChangedBy);
            history.Parameters.AddWithValue("$reason", update.Reason);
            history.Parameters.AddWithValue("$previousScale", (int)before.News2Scale);
            history.Parameters.AddWithValue("$previousOxygen", OxygenValue(before.OnSupplementalOxygen));
            history.Parameters.AddWithValue("$scale", (int)update.News2Scale);
            history.Parameters.AddWithValue("$oxygen", OxygenValue(update.OnSupplementalOxygen));
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return before with { News2Scale = update.News2Scale, OnSupplementalOxygen = update.OnSupplementalOxygen };
    }

    public async Task<IReadOnlyList<CareSettingsChange>> GetCareSettingsHistoryAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, changed_at, changed_by, reason, previous_scale, previous_oxygen, news2_scale, on_supplemental_oxygen
            FROM patient_care_settings_history WHERE patient_id = $id ORDER BY seq
            """;
        command.Parameters.AddWithValue("$id", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<CareSettingsChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CareSettingsChange(
                patientId,
                reader.GetInt32(0),
                SqliteTime.FromUnixMs(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                (News2Scale)reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5) == 1,
                (News2Scale)reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7) == 1));
        }
        return changes;
    }

    private static object OxygenValue(bool? onOxygen) => onOxygen is { } value ? (value ? 1 : 0) : DBNull.Value;

    private static PatientRecord Read(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        DisplayName: reader.GetString(1),
        NhsNumber: reader.IsDBNull(2) ? null : reader.GetString(2),
        DateOfBirth: reader.IsDBNull(3) ? null : DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        News2Scale: (News2Scale)reader.GetInt32(4),
        OnSupplementalOxygen: reader.IsDBNull(5) ? null : reader.GetInt32(5) == 1,
        TeamId: reader.GetString(6),
        CreatedAt: SqliteTime.FromUnixMs(reader.GetInt64(7)));
}
