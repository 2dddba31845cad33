using Npgsql;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;

namespace Telehealth.Storage.Postgres;

/// <summary>
/// An ingest batch taken into the care record before it is written to InfluxDB (docs/architecture.md, "Admitting
/// readings before InfluxDB"). Admitting inserts the readings' identities into <c>evaluation_seen</c> in a transaction
/// that stays open across the InfluxDB write, and reads the table's horizon (migration 0011) after that insert; a
/// reading whose identity the insert took and whose device time is at or after the horizon was never brought by an
/// acknowledged delivery (every one since the horizon left its identity there), so InfluxDB need not be asked whether
/// it holds it. Committing queues the ones InfluxDB then stored, one row per person as
/// <see cref="PostgresEvaluationQueue.EnqueueAsync(NpgsqlConnection, NpgsqlTransaction, IEnumerable{Reading}, DateTimeOffset, CancellationToken)"/>
/// does, and forgets the identities of the ones it refused; disposing without committing rolls all of it back, so a
/// crash anywhere before the commit leaves the care record as if the batch never came (InfluxDB may keep what was
/// written: the redelivery finds the identity free again and writes over it).
/// </summary>
public sealed class PostgresReadingAdmission : IReadingAdmission
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly IReadOnlyList<Reading> _readings;
    private readonly DateTimeOffset _now;
    /// <summary>Indexes (in the batch) of the readings whose identity this admission inserted: the first delivery of each.</summary>
    private readonly HashSet<int> _taken;
    private readonly long _keptFromMs;
    private bool _committed;

    private PostgresReadingAdmission(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Reading> readings,
        DateTimeOffset now, HashSet<int> taken, long keptFromMs)
    {
        _connection = connection;
        _transaction = transaction;
        _readings = readings;
        _now = now;
        _taken = taken;
        _keptFromMs = keptFromMs;
    }

    /// <summary>How many readings of the batch were the first delivery of their identity (for tests and tracing).</summary>
    public int TakenCount => _taken.Count;

    /// <summary>The device time (Unix ms) from which evaluation_seen holds every identity, as read after the insert.</summary>
    public long KeptFromMs => _keptFromMs;

    internal static async Task<PostgresReadingAdmission> AdmitAsync(PostgresDatabase database, IReadOnlyList<Reading> readings, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // A repeat within the batch counts once (its first), and the identities go in in key order, device time first
        // (at the b-tree's right edge; two batches sharing identities wait on each other in one order, never in a
        // cycle). Both are done here rather than in SQL: DISTINCT ON over the unnested arrays and a join of what the
        // insert returned back to the batch's positions were a third of the statement's time or more (measured on an
        // idle server, 500 identities a statement into 300,000, alternated: 12.7-14.6 us per identity with them,
        // 7.4-10.7 without).
        var firstOfKey = new Dictionary<(long Time, string Device, string Name), int>(readings.Count);
        for (var index = 0; index < readings.Count; index++)
        {
            var reading = readings[index];
            firstOfKey.TryAdd((PostgresTime.ToUnixMs(reading.DeviceTime), reading.DeviceId, reading.Kind.WireName()), index);
        }
        var keys = firstOfKey.Keys.ToArray();
        Array.Sort(keys, static (a, b) =>
        {
            var byTime = a.Time.CompareTo(b.Time);
            if (byTime != 0)
            {
                return byTime;
            }
            var byDevice = string.CompareOrdinal(a.Device, b.Device);
            return byDevice != 0 ? byDevice : string.CompareOrdinal(a.Name, b.Name);
        });

        var connection = await database.OpenAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            // First as a plain insert, which takes every identity or fails: a batch of first deliveries (every batch
            // but one that repeats an earlier delivery) then pays one b-tree descent per identity, where ON CONFLICT
            // probes the key before inserting it and confirms the insert after (4.7-5.5 us per identity against 6.3-8.5
            // on an idle server, measured as above). A repeat fails it with a unique violation, after waiting, as ON
            // CONFLICT would, for an uncommitted insert of the same identity to end; the batch is then admitted again
            // in a new transaction with ON CONFLICT DO NOTHING, which says which identities it took.
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            long keptFromMs;
            try
            {
                keptFromMs = await InsertIdentitiesAsync(connection, transaction, keys, now, taken: null, firstOfKey, cancellationToken);
                return new PostgresReadingAdmission(connection, transaction, readings, now, [.. firstOfKey.Values], keptFromMs);
            }
            catch (PostgresException repeat) when (repeat.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await transaction.DisposeAsync(); // rolls back
                transaction = null;
            }
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            var taken = new HashSet<int>();
            keptFromMs = await InsertIdentitiesAsync(connection, transaction, keys, now, taken, firstOfKey, cancellationToken);
            return new PostgresReadingAdmission(connection, transaction, readings, now, taken, keptFromMs);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Inserts the identities (in the given order) and reads the horizon after them. With <paramref name="taken"/> null
    /// the insert takes them all or fails; otherwise it skips those present and adds the batch index of each it took.
    /// </summary>
    private static async Task<long> InsertIdentitiesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (long Time, string Device, string Name)[] keys, DateTimeOffset now, HashSet<int>? taken,
        Dictionary<(long Time, string Device, string Name), int> firstOfKey, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        // unnest's rows come in array order, and INSERT … SELECT inserts them in the order they come. One plan serves
        // every call (there is nothing in it a generic plan could get wrong), so it is not planned for each.
        var insert = new NpgsqlBatchCommand(taken is null
            ? """
              INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms)
              SELECT @kind, r.device_id, r.name, r.device_time_ms, @now
              FROM unnest(@devices, @names, @times) AS r(device_id, name, device_time_ms)
              """
            : """
              INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms)
              SELECT @kind, r.device_id, r.name, r.device_time_ms, @now
              FROM unnest(@devices, @names, @times) AS r(device_id, name, device_time_ms)
              ON CONFLICT DO NOTHING
              RETURNING device_time_ms, device_id, name
              """);
        insert.Parameters.AddWithValue("@kind", PostgresEvaluationQueue.ReadingKind);
        insert.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
        insert.Parameters.AddWithValue("@devices", keys.Select(key => key.Device).ToArray());
        insert.Parameters.AddWithValue("@names", keys.Select(key => key.Name).ToArray());
        insert.Parameters.AddWithValue("@times", keys.Select(key => key.Time).ToArray());
        batch.BatchCommands.Add(insert);
        // Its own statement, so its own snapshot, taken after the insert: a prune that removed an identity the insert
        // then took had committed its raised horizon by then (PostgresEvaluationQueue.PruneAsync).
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT kept_from_ms FROM evaluation_seen_horizon"));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (taken is not null)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(firstOfKey[(reader.GetInt64(0), reader.GetString(1), reader.GetString(2))]);
            }
            await reader.NextResultAsync(cancellationToken);
        }
        return await reader.ReadAsync(cancellationToken)
            ? reader.GetInt64(0)
            : throw new InvalidOperationException("evaluation_seen_horizon has no row (PostgreSQL migration 11 not applied?).");
    }

    public bool NeverAcknowledged(int index) =>
        _taken.Contains(index) && PostgresTime.ToUnixMs(_readings[index].DeviceTime) >= _keptFromMs;

    public async Task CommitAsync(ReadingAppendResult stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_committed)
        {
            throw new InvalidOperationException("This admission is committed already.");
        }
        // Everything this admission was first to see is queued unless the store refused it or holds another value
        // for it: also a reading the store had already, identical (the care record never saw it, so it was never
        // evaluated: a crash between the two writes of the way readings were stored before this admission existed).
        var notStored = stored.Conflicts.Concat(stored.Refused.Select(refusal => refusal.Reading)).ToHashSet();
        var queue = new List<Reading>(_taken.Count);
        var forget = new List<Reading>();
        // In batch order: queue order per person is arrival order.
        foreach (var index in _taken.Order())
        {
            var reading = _readings[index];
            (notStored.Contains(reading) ? forget : queue).Add(reading);
        }
        if (queue.Count > 0)
        {
            await PostgresEvaluationQueue.QueueTakenAsync(_connection, _transaction, queue, _now, cancellationToken);
        }
        if (forget.Count > 0)
        {
            // Refused by the store (or a conflict with what a never-acknowledged delivery left there): not queued, and
            // not seen either, so a later delivery of it is judged afresh.
            await using var delete = _connection.CreateCommand();
            delete.Transaction = _transaction;
            delete.CommandText = """
                DELETE FROM evaluation_seen s
                USING unnest(@devices, @names, @times) AS f(device_id, name, device_time_ms)
                WHERE s.device_time_ms = f.device_time_ms AND s.device_id = f.device_id AND s.name = f.name AND s.item_kind = @kind
                """;
            delete.Parameters.AddWithValue("@kind", PostgresEvaluationQueue.ReadingKind);
            delete.Parameters.AddWithValue("@devices", forget.Select(reading => reading.DeviceId).ToArray());
            delete.Parameters.AddWithValue("@names", forget.Select(reading => reading.Kind.WireName()).ToArray());
            delete.Parameters.AddWithValue("@times", forget.Select(reading => PostgresTime.ToUnixMs(reading.DeviceTime)).ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

}
