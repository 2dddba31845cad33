using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Events;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Ingest;

/// <summary>
/// Telecare events in the embedded database, deduplicated by a UNIQUE (device_id, type, device_time_ms) key. A new
/// event is queued for evaluation in the transaction that stores it.
/// </summary>
public sealed class SqliteTelecareEventStore : ITelecareEventStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public SqliteTelecareEventStore(SqliteDatabase database)
        : this(database, TimeProvider.System)
    {
    }

    public SqliteTelecareEventStore(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Deletes events that happened (device time) before <paramref name="before"/>; returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        SqliteRetention.DeleteOlderThanAsync(_database, "telecare_events", "device_time_ms", before, cancellationToken);

    public async Task<bool> AppendAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);

        await using var connection = await _database.OpenAsync(cancellationToken);
        // In turn (SqliteDatabase): a pendant press or a fall must not poll for the lock behind the ingest writer.
        using var turn = await _database.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR IGNORE INTO telecare_events (device_id, patient_id, type, device_time_ms, received_at_ms)
            VALUES ($device, $patient, $type, $time, $received)
            """;
        insert.Parameters.AddWithValue("$device", telecareEvent.DeviceId);
        insert.Parameters.AddWithValue("$patient", telecareEvent.PatientId);
        insert.Parameters.AddWithValue("$type", telecareEvent.Type.WireName());
        insert.Parameters.AddWithValue("$time", SqliteTime.ToUnixMs(telecareEvent.DeviceTime));
        insert.Parameters.AddWithValue("$received", SqliteTime.ToUnixMs(telecareEvent.ReceivedAt));
        // sqlite3_changes() is 0 when the UNIQUE key ignored a repeat.
        var isNew = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (isNew)
        {
            await SqliteEvaluationQueue.EnqueueAsync(connection, transaction, telecareEvent, _time.GetUtcNow(), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return isNew;
    }

    public async Task<IReadOnlyList<TelecareEvent>> RecentForPatientAsync(string patientId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT device_id, patient_id, type, device_time_ms, received_at_ms FROM telecare_events
            WHERE patient_id = $patient ORDER BY device_time_ms DESC, device_id, type LIMIT $limit
            """;
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$limit", limit);

        var events = new List<TelecareEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var typeName = reader.GetString(2);
            if (!TelecareEventTypes.TryParseWireName(typeName, out var type))
            {
                throw new InvalidDataException($"Stored telecare event has unknown type '{typeName}'.");
            }
            events.Add(new TelecareEvent(
                DeviceId: reader.GetString(0),
                PatientId: reader.GetString(1),
                Type: type,
                DeviceTime: SqliteTime.FromUnixMs(reader.GetInt64(3)),
                ReceivedAt: SqliteTime.FromUnixMs(reader.GetInt64(4))));
        }
        return events;
    }
}
