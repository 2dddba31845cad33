using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Evaluation;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Caseload;

public sealed class PostgresPatientRepository : IPatientRepository
{
    internal const string Columns = "id, display_name, nhs_number, date_of_birth, news2_scale, on_supplemental_oxygen, team_id, created_at";

    private readonly PostgresDatabase _database;

    public PostgresPatientRepository(PostgresDatabase database)
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
            VALUES (@id, @name, @nhs, @dob, @scale, @oxygen, @team, @created)
            ON CONFLICT DO NOTHING
            """;
        command.Parameters.AddWithValue("@id", patient.Id);
        command.Parameters.AddWithValue("@name", patient.DisplayName);
        command.Parameters.AddWithValue("@nhs", (object?)patient.NhsNumber ?? DBNull.Value);
        command.Parameters.Add("@dob", NpgsqlDbType.Date).Value = patient.DateOfBirth is { } dob ? dob : DBNull.Value;
        command.Parameters.AddWithValue("@scale", (int)patient.News2Scale);
        command.Parameters.Add(OxygenValue("@oxygen", patient.OnSupplementalOxygen));
        command.Parameters.AddWithValue("@team", patient.TeamId);
        command.Parameters.AddWithValue("@created", PostgresTime.ToUnixMs(patient.CreatedAt));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return PatientCreateResult.Created;
        }
        // Nothing inserted: tell the caller which uniqueness rule it broke.
        return await ExistsAsync(patient.Id, cancellationToken) ? PatientCreateResult.DuplicateId : PatientCreateResult.DuplicateNhsNumber;
    }

    public async Task<PatientUpdateResult> UpdateDetailsAsync(string patientId, PatientDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(details);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE patients SET display_name = @name, nhs_number = @nhs, date_of_birth = @dob WHERE id = @id";
        command.Parameters.AddWithValue("@id", patientId);
        command.Parameters.AddWithValue("@name", details.DisplayName);
        command.Parameters.AddWithValue("@nhs", (object?)details.NhsNumber ?? DBNull.Value);
        command.Parameters.Add("@dob", NpgsqlDbType.Date).Value = details.DateOfBirth is { } dob ? dob : DBNull.Value;
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? PatientUpdateResult.Updated : PatientUpdateResult.UnknownPatient;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The team's NHS numbers are unique (the baseline's unique index): another person already has this one.
            return PatientUpdateResult.DuplicateNhsNumber;
        }
    }

    public async Task<PatientRecord?> GetAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM patients WHERE id = @id";
        command.Parameters.AddWithValue("@id", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM patients {(teamId is null ? "" : "WHERE team_id = @team")} ORDER BY lower(display_name), id";
        if (teamId is not null)
        {
            command.Parameters.AddWithValue("@team", teamId);
        }
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
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM patients WHERE id = @id)";
        command.Parameters.AddWithValue("@id", patientId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<PatientRecord?> UpdateCareSettingsAsync(string patientId, CareSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await _database.OpenAsync(cancellationToken);
        // The row is read FOR UPDATE: the read of the values before and the write after are one step, so two changes at
        // once (on any instance) cannot both record the same "before".
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        PatientRecord? before;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT {Columns} FROM patients WHERE id = @id FOR UPDATE";
            read.Parameters.AddWithValue("@id", patientId);
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
            write.CommandText = "UPDATE patients SET news2_scale = @scale, on_supplemental_oxygen = @oxygen WHERE id = @id";
            write.Parameters.AddWithValue("@id", patientId);
            write.Parameters.AddWithValue("@scale", (int)update.News2Scale);
            write.Parameters.Add(OxygenValue("@oxygen", update.OnSupplementalOxygen));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.Transaction = transaction;
            history.CommandText = """
                INSERT INTO patient_care_settings_history
                    (patient_id, seq, changed_at, changed_by, reason, previous_scale, previous_oxygen, news2_scale, on_supplemental_oxygen)
                VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM patient_care_settings_history WHERE patient_id = @id),
                        @at, @by, @reason, @previousScale, @previousOxygen, @scale, @oxygen)
                """;
            history.Parameters.AddWithValue("@id", patientId);
            history.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(update.At));
            history.Parameters.AddWithValue("@by", update.ChangedBy);
            history.Parameters.AddWithValue("@reason", update.Reason);
            history.Parameters.AddWithValue("@previousScale", (int)before.News2Scale);
            history.Parameters.Add(OxygenValue("@previousOxygen", before.OnSupplementalOxygen));
            history.Parameters.AddWithValue("@scale", (int)update.News2Scale);
            history.Parameters.Add(OxygenValue("@oxygen", update.OnSupplementalOxygen));
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        // NEWS2 is re-scored with the new scale or oxygen at once (same transaction: the change cannot be stored without it).
        await PostgresEvaluationQueue.EnqueueReassessAsync(connection, transaction, patientId, new CareRecordChange(CareRecordChanges.CareSettings, update.At),
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
            FROM patient_care_settings_history WHERE patient_id = @id ORDER BY seq
            """;
        command.Parameters.AddWithValue("@id", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<CareSettingsChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CareSettingsChange(
                patientId,
                reader.GetInt32(0),
                PostgresTime.FromUnixMs(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                (News2Scale)reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5),
                (News2Scale)reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetBoolean(7)));
        }
        return changes;
    }

    private static NpgsqlParameter OxygenValue(string name, bool? onOxygen) => new(name, NpgsqlDbType.Boolean) { Value = onOxygen is { } value ? value : DBNull.Value };

    /// <summary>One patient from <paramref name="first"/> on, in the order of <see cref="Columns"/>.</summary>
    internal static PatientRecord Read(NpgsqlDataReader reader, int first = 0) => new(
        Id: reader.GetString(first),
        DisplayName: reader.GetString(first + 1),
        NhsNumber: reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
        DateOfBirth: reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<DateOnly>(first + 3),
        News2Scale: (News2Scale)reader.GetInt32(first + 4),
        OnSupplementalOxygen: reader.IsDBNull(first + 5) ? null : reader.GetBoolean(first + 5),
        TeamId: reader.GetString(first + 6),
        CreatedAt: PostgresTime.FromUnixMs(reader.GetInt64(first + 7)));
}
