using Npgsql;
using NpgsqlTypes;
using Telehealth.Contracts.Observations;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Ingest;

/// <summary>
/// ACVPU assessments in the shared PostgreSQL care record (table consciousness_observations), unique per person and
/// observation millisecond; the source (device or staff) and receive time are kept with each.
/// </summary>
public sealed class PostgresConsciousnessStore(PostgresDatabase database) : IConsciousnessStore
{
    internal const string Columns = "patient_id, observed_at_ms, level, source_kind, source_id, received_at_ms";

    public async Task<ConsciousnessAppendResult> AppendAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO consciousness_observations ({Columns})
            VALUES (@patient, @at, @level, @kind, @source, @received)
            ON CONFLICT DO NOTHING
            """;
        insert.Parameters.AddWithValue("@patient", observation.PatientId);
        insert.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(observation.ObservedAt));
        insert.Parameters.AddWithValue("@level", observation.Level.WireName());
        insert.Parameters.AddWithValue("@kind", observation.SourceKind);
        insert.Parameters.AddWithValue("@source", observation.SourceId);
        insert.Parameters.AddWithValue("@received", PostgresTime.ToUnixMs(observation.ReceivedAt));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            // Due for evaluation in the same transaction: NEWS2 is re-scored with it now, not at the next reading.
            await PostgresEvaluationQueue.EnqueueAsync(connection, transaction, observation, observation.ReceivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ConsciousnessAppendResult.Stored;
        }
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = $"SELECT {Columns} FROM consciousness_observations WHERE patient_id = @patient AND observed_at_ms = @at";
        read.Parameters.AddWithValue("@patient", observation.PatientId);
        read.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(observation.ObservedAt));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var stored = Read(reader);
        return stored.Level == observation.Level && stored.SourceKind == observation.SourceKind && stored.SourceId == observation.SourceId
            ? ConsciousnessAppendResult.Repeat
            : ConsciousnessAppendResult.Conflict;
    }

    public async Task<ConsciousnessObservation?> LatestAsync(string patientId, CancellationToken cancellationToken = default) =>
        (await RecentAsync(patientId, 1, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<ConsciousnessObservation>> RecentAsync(string patientId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM consciousness_observations WHERE patient_id = @patient ORDER BY observed_at_ms DESC LIMIT @limit";
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<ConsciousnessObservation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(Read(reader));
        }
        return found;
    }

    /// <summary>One observation from <paramref name="first"/> on, in the order of <see cref="Columns"/>.</summary>
    internal static ConsciousnessObservation Read(NpgsqlDataReader reader, int first = 0)
    {
        var level = AcvpuLevels.TryParseWireName(reader.GetString(first + 2), out var parsed)
            ? parsed
            : throw new InvalidDataException("consciousness_observations holds an unknown level.");
        var device = reader.GetString(first + 3) == "device";
        return new ConsciousnessObservation(
            reader.GetString(first),
            level,
            PostgresTime.FromUnixMs(reader.GetInt64(first + 1)),
            PostgresTime.FromUnixMs(reader.GetInt64(first + 5)),
            DeviceId: device ? reader.GetString(first + 4) : null,
            RecordedBy: device ? null : reader.GetString(first + 4));
    }
}
