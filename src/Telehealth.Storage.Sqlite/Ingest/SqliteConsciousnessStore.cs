using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Observations;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Ingest;

/// <summary>
/// ACVPU assessments in the embedded database (table consciousness_observations), unique per person and
/// observation millisecond; the source (device or staff) and receive time are kept with each.
/// </summary>
public sealed class SqliteConsciousnessStore(SqliteDatabase database) : IConsciousnessStore
{
    private const string Columns = "patient_id, observed_at_ms, level, source_kind, source_id, received_at_ms";

    public async Task<ConsciousnessAppendResult> AppendAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await using var connection = await database.OpenAsync(cancellationToken);
        // In turn (SqliteDatabase): a staff or device consciousness assessment (NEWS2 re-scored at once) must not poll for the lock behind the ingest writer.
        using var turn = await database.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT OR IGNORE INTO consciousness_observations ({Columns})
            VALUES ($patient, $at, $level, $kind, $source, $received)
            """;
        insert.Parameters.AddWithValue("$patient", observation.PatientId);
        insert.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(observation.ObservedAt));
        insert.Parameters.AddWithValue("$level", observation.Level.WireName());
        insert.Parameters.AddWithValue("$kind", observation.SourceKind);
        insert.Parameters.AddWithValue("$source", observation.SourceId);
        insert.Parameters.AddWithValue("$received", SqliteTime.ToUnixMs(observation.ReceivedAt));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            // Due for evaluation in the same transaction: NEWS2 is re-scored with it now, not at the next reading.
            await SqliteEvaluationQueue.EnqueueAsync(connection, transaction, observation, observation.ReceivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ConsciousnessAppendResult.Stored;
        }
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = $"SELECT {Columns} FROM consciousness_observations WHERE patient_id = $patient AND observed_at_ms = $at";
        read.Parameters.AddWithValue("$patient", observation.PatientId);
        read.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(observation.ObservedAt));
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
        // Every evaluation that scores NEWS2 asks for the latest: a kept reader's prepared statement (SqliteRead.Prepared).
        await using var read = await database.BeginReadAsync(cancellationToken);
        return read.Prepared($"SELECT {Columns} FROM consciousness_observations WHERE patient_id = ?1 ORDER BY observed_at_ms DESC LIMIT ?2")
            .Bind(1, patientId)
            .Bind(2, limit)
            .ReadAll(row => Read(row.Text(0)!, row.Integer(1), row.Text(2)!, row.Text(3)!, row.Text(4)!, row.Integer(5)));
    }

    private static ConsciousnessObservation Read(SqliteDataReader reader) =>
        Read(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5));

    private static ConsciousnessObservation Read(string patientId, long observedAtMs, string levelName, string sourceKind, string sourceId, long receivedAtMs)
    {
        var level = AcvpuLevels.TryParseWireName(levelName, out var parsed)
            ? parsed
            : throw new InvalidDataException("consciousness_observations holds an unknown level.");
        var device = sourceKind == "device";
        return new ConsciousnessObservation(
            patientId,
            level,
            SqliteTime.FromUnixMs(observedAtMs),
            SqliteTime.FromUnixMs(receivedAtMs),
            DeviceId: device ? sourceId : null,
            RecordedBy: device ? null : sourceId);
    }
}
