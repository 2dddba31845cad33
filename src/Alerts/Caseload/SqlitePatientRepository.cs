using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.News2;
using Telehealth.Alerts.Storage;
using Telehealth.Storage;

namespace Telehealth.Alerts.Caseload;

public sealed class SqlitePatientRepository : IPatientRepository
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS patients (
            id                      TEXT PRIMARY KEY,
            display_name            TEXT NOT NULL,
            nhs_number              TEXT NULL,
            date_of_birth           TEXT NULL,
            news2_scale             INTEGER NOT NULL,
            on_supplemental_oxygen  INTEGER NOT NULL,
            team_id                 TEXT NOT NULL,
            created_at              INTEGER NOT NULL
        );
        -- An NHS number is unique within a team's caseload, not across teams: a global check would answer one team
        -- "this number exists" about another team's patient (an oracle). Each team keeps its own record of a person;
        -- linking records across teams is left to the national services that own identity (PDS).
        DROP INDEX IF EXISTS ux_patients_nhs_number;
        CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_team_nhs_number ON patients(team_id, nhs_number) WHERE nhs_number IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_patients_team ON patients(team_id);
        """;

    private const string Columns = "id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at";

    private readonly SqliteDatabase _database;
    private readonly SchemaGate _schema;

    public SqlitePatientRepository(SqliteDatabase database)
    {
        _database = database;
        _schema = new SchemaGate(database, Schema);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public async Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
        await _schema.EnsureAsync(cancellationToken);
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
        command.Parameters.AddWithValue("$oxygen", patient.OnSupplementalOxygen ? 1 : 0);
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
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM patients WHERE id = $id";
        command.Parameters.AddWithValue("$id", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
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
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM patients WHERE id = $id)";
        command.Parameters.AddWithValue("$id", patientId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static PatientRecord Read(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        DisplayName: reader.GetString(1),
        NhsNumber: reader.IsDBNull(2) ? null : reader.GetString(2),
        DateOfBirth: reader.IsDBNull(3) ? null : DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        News2Scale: (News2Scale)reader.GetInt32(4),
        OnSupplementalOxygen: reader.GetInt32(5) == 1,
        TeamId: reader.GetString(6),
        CreatedAt: SqliteTime.FromUnixMs(reader.GetInt64(7)));
}
