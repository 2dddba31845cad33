using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Evaluation;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Caseload;

public sealed class SqlitePatientRepository : IPatientRepository
{
    private const string Columns = "id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at";

    private readonly SqliteDatabase _database;

    public SqlitePatientRepository(SqliteDatabase database)
    {
        _database = database;
    }

    public async Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
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
        // Read for every person in every evaluation pass: a kept reader's prepared statement (SqliteRead.Prepared).
        await using var read = await _database.BeginReadAsync(cancellationToken);
        return read.Prepared($"SELECT {Columns} FROM patients WHERE id = ?1").Bind(1, patientId).TryReadFirst(Read, out var patient) ? patient : null;
    }

    public async Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default)
    {
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
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM patients WHERE id = $id)";
        command.Parameters.AddWithValue("$id", patientId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<PatientUpdateResult> UpdateDetailsAsync(string patientId, PatientDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(details);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE patients SET display_name = $name, nhs_number = $nhs, date_of_birth = $dob WHERE id = $id";
        command.Parameters.AddWithValue("$id", patientId);
        command.Parameters.AddWithValue("$name", details.DisplayName);
        command.Parameters.AddWithValue("$nhs", (object?)details.NhsNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("$dob", details.DateOfBirth is { } dob ? dob.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? PatientUpdateResult.Updated : PatientUpdateResult.UnknownPatient;
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: ux_patients_team_nhs_number
        {
            return PatientUpdateResult.DuplicateNhsNumber;
        }
    }

    public async Task<PatientRecord?> UpdateCareSettingsAsync(string patientId, CareSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(update);
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
        // NEWS2 is re-scored with the new scale or oxygen at once (same transaction: the change cannot be stored without it).
        await SqliteEvaluationQueue.EnqueueReassessAsync(connection, transaction, patientId, new CareRecordChange(CareRecordChanges.CareSettings, update.At),
            update.At, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before with { News2Scale = update.News2Scale, OnSupplementalOxygen = update.OnSupplementalOxygen };
    }

    public async Task<IReadOnlyList<CareSettingsChange>> GetCareSettingsHistoryAsync(string patientId, CancellationToken cancellationToken = default)
    {
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

    private static PatientRecord Read(SqliteStatement row) => new(
        Id: row.Text(0)!,
        DisplayName: row.Text(1)!,
        NhsNumber: row.Text(2),
        DateOfBirth: row.Text(3) is { } born ? DateOnly.ParseExact(born, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
        News2Scale: (News2Scale)row.Integer(4),
        OnSupplementalOxygen: row.IsNull(5) ? null : row.Integer(5) == 1,
        TeamId: row.Text(6)!,
        CreatedAt: SqliteTime.FromUnixMs(row.Integer(7)));

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
