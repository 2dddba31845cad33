using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// The evaluation queue in the embedded database. The SQLite reading and event stores add their rows inside the
/// transaction that stores the data (<see cref="EnqueueAsync(SqliteConnection, SqliteTransaction, IEnumerable{Reading}, DateTimeOffset, CancellationToken)"/>),
/// so "stored" without "due" cannot happen; the alert store marks rows done inside the transaction that records the
/// alerts they led to (<see cref="MarkDoneAsync"/>), so "evaluated" without its effect cannot happen either.
/// The UNIQUE key is the data's identity: a redelivered reading queues nothing twice, and an evaluated one (kept for
/// <c>Evaluation:DoneRetention</c>) is not queued again.
/// </summary>
public sealed class SqliteEvaluationQueue(SqliteDatabase database, TimeProvider time) : IEvaluationQueue
{
    private const string ReadingKind = "reading";
    private const string EventKind = "event";
    private const string StatusKind = "status";
    private const string TimerKind = "timer";
    private const string ConsciousnessKind = "consciousness";
    private const string ReassessKind = "reassess";

    public async Task EnqueueReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return;
        }
        await using var write = await database.BeginWriteAsync(cancellationToken);
        await EnqueueAsync(write, readings, time.GetUtcNow(), cancellationToken);
        await write.CommitAsync(cancellationToken);
    }

    public async Task EnqueueEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var turn = await database.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueAsync(connection, transaction, telecareEvent, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task EnqueueStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        // In turn: every device's heartbeat comes here, and a writer polling for SQLite's lock makes the ingest writer
        // poll too once it is in (SqliteDatabase). On the writer connection, its statement compiled once (SqliteWrite).
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var insert = write.Statement(InsertSql);
        // name = the device type, value = the battery: a status's identity is its device and device time.
        Bind(insert, status.PatientId, StatusKind, status.DeviceId, status.DeviceType, status.BatteryPercent, status.DeviceTime, status.ReceivedAt,
            time.GetUtcNow(), status.Interval);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
    }

    public async Task EnqueueReassessAsync(string patientId, CareRecordChange change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var turn = await database.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueReassessAsync(connection, transaction, patientId, change, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a re-evaluation inside the caller's transaction (the one that records the change). The person's id
    /// stands in the device column, so (person, part, time) is the item's identity.
    /// </summary>
    public static async Task EnqueueReassessAsync(SqliteConnection connection, SqliteTransaction transaction, string patientId, CareRecordChange change,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!CareRecordChanges.IsKnown(change.What))
        {
            throw new ArgumentException($"Unknown care-record change '{change.What}'.", nameof(change));
        }
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, patientId, ReassessKind, patientId, change.What, null, change.At, now, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues an ACVPU assessment inside the caller's transaction (the one that stores it). Its identity is the
    /// person and the millisecond (the person's id stands in the device column); the name carries its source
    /// ("staff:{username}" or "device:{deviceId}") and the value the level.
    /// </summary>
    public static async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, ConsciousnessObservation observation,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, observation.PatientId, ConsciousnessKind, observation.PatientId, $"{observation.SourceKind}:{observation.SourceId}",
            (int)observation.Level, observation.ObservedAt, observation.ReceivedAt, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a rule's timer inside the caller's transaction (the one that takes it from the wake-up table), keyed by
    /// patient, rule and wake time so firing it twice queues it once.
    /// </summary>
    public static async Task EnqueueTimerAsync(SqliteWrite write, string patientId, RuleTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var insert = write.Statement(InsertSql);
        Bind(insert, patientId, TimerKind, patientId, timer.RuleKey, null, timer.WakeAt, now, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues readings inside the caller's write (the one that stores them).</summary>
    public static async Task EnqueueAsync(SqliteWrite write, IEnumerable<Reading> readings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var insert = write.Statement(InsertSql);
        foreach (var reading in readings)
        {
            Bind(insert, reading.PatientId, ReadingKind, reading.DeviceId, reading.Kind.WireName(), reading.Value, reading.DeviceTime, reading.ReceivedAt, now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Queues every reading stored in the caller's write after row <paramref name="lastRowBefore"/> of vital_readings (the
    /// readings it added), in the order stored: one statement that copies them inside SQLite, where a statement per
    /// reading crossed into SQLite and back once for each (binding ten parameters by name every time).
    /// </summary>
    public static async Task EnqueueStoredReadingsAsync(SqliteWrite write, long lastRowBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await write.Statement($"""
            INSERT OR IGNORE INTO evaluation_queue
                (patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms, enqueued_at_ms, due_at_ms, interval_ms)
            SELECT patient_id, '{ReadingKind}', device_id, kind, value, device_time_ms, received_at_ms, $now, $now, NULL
            FROM vital_readings WHERE rowid > $after ORDER BY rowid
            """)
            .Bind("$after", lastRowBefore)
            .Bind("$now", SqliteTime.ToUnixMs(now))
            .ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a telecare event inside the caller's transaction (the one that stores it).</summary>
    public static async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, TelecareEvent telecareEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, telecareEvent.PatientId, EventKind, telecareEvent.DeviceId, telecareEvent.Type.WireName(), null, telecareEvent.DeviceTime, telecareEvent.ReceivedAt, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks items evaluated inside the caller's transaction (the one that records their effects).</summary>
    public static void MarkDone(SqliteWrite write, IReadOnlyCollection<long> sequences, DateTimeOffset now)
    {
        if (sequences.Count == 0)
        {
            return;
        }
        // One statement for the pass's items, their numbers as a JSON array: a statement per item crossed into SQLite
        // and back once for each.
        write.Prepared("UPDATE evaluation_queue SET done_at_ms = ?1 WHERE seq IN (SELECT value FROM json_each(?2)) AND done_at_ms IS NULL")
            .Bind(1, SqliteTime.ToUnixMs(now))
            .Bind(2, "[" + string.Join(',', sequences) + "]")
            .Execute();
    }

    public async Task<IReadOnlyList<DueItem>> ClaimAsync(int maxItems, DateTimeOffset now, IReadOnlyCollection<string> skipPatients,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        ArgumentNullException.ThrowIfNull(skipPatients);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ClaimStatement(skipPatients.Count > 0);
        command.Parameters.AddWithValue("$now", SqliteTime.ToUnixMs(now));
        command.Parameters.AddWithValue("$max", maxItems);
        if (skipPatients.Count > 0)
        {
            command.Parameters.AddWithValue("$skip", JsonSerializer.Serialize(skipPatients));
        }
        var items = new List<DueItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            var patientId = reader.GetString(1);
            var deviceId = reader.GetString(3);
            var name = reader.GetString(4);
            var deviceTime = SqliteTime.FromUnixMs(reader.GetInt64(6));
            var receivedAt = SqliteTime.FromUnixMs(reader.GetInt64(7));
            var attempts = reader.GetInt32(8);
            items.Add(reader.GetString(2) switch
            {
                ReadingKind => DueItem.ForReading(sequence,
                    new Reading(deviceId, patientId, VitalKinds.ParseWireName(name), reader.GetDouble(5), deviceTime, receivedAt), attempts),
                EventKind when TelecareEventTypes.TryParseWireName(name, out var type) => DueItem.ForEvent(sequence,
                    new TelecareEvent(deviceId, patientId, type, deviceTime, receivedAt), attempts),
                StatusKind => DueItem.ForStatus(sequence, new DeviceStatusReport(deviceId, patientId,
                    reader.IsDBNull(5) ? null : (int)reader.GetDouble(5), deviceTime, receivedAt, name,
                    reader.IsDBNull(9) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(9))), attempts),
                TimerKind => DueItem.ForTimer(sequence, patientId, new RuleTimer(name, deviceTime), attempts),
                ConsciousnessKind when !reader.IsDBNull(5) && ConsciousnessSource(name) is { } source && Enum.IsDefined((AcvpuLevel)(int)reader.GetDouble(5)) =>
                    DueItem.ForConsciousness(sequence, new ConsciousnessObservation(patientId, (AcvpuLevel)(int)reader.GetDouble(5), deviceTime, receivedAt,
                        DeviceId: source.Kind == "device" ? source.Id : null, RecordedBy: source.Kind == "staff" ? source.Id : null), attempts),
                ReassessKind when CareRecordChanges.IsKnown(name) => DueItem.ForReassess(sequence, patientId, new CareRecordChange(name, deviceTime), attempts),
                var other => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Evaluation queue item {sequence} has unknown kind '{other}' or name."))
            });
        }
        return items;
    }

    /// <summary>
    /// The statement a claim runs ($now, $max, and $skip when <paramref name="skipsPatients"/>), public so that tests
    /// can read the plan SQLite makes of it.
    /// </summary>
    public static string ClaimStatement(bool skipsPatients)
    {
        // A patient whose earlier item is backing off is skipped from that item on: evaluation order per patient is
        // queue order. Only a failed attempt (DeferAsync) makes an item due after it was queued, so backing-off items
        // are those with attempts, found once per claim (ix_evaluation_queue_backing_off, migration 14: nearly always
        // an empty range), not once per pending row, which cost n²/2 row visits with a backlog of n per person.
        // The people the caller skips (its running passes hold them) are left out by the statement: their rows are still
        // stepped over in the seq index, but take no place of the LIMIT and are neither read out nor decoded. The set is
        // a JSON array, made into an IN list once per claim; with none to skip the statement is the plain one.
        var skipFilter = skipsPatients ? "AND q.patient_id NOT IN (SELECT value FROM json_each($skip))" : string.Empty;
        return $"""
            WITH backing_off AS (
                SELECT patient_id, MIN(seq) AS from_seq FROM evaluation_queue
                WHERE done_at_ms IS NULL AND attempts > 0 AND due_at_ms > $now
                GROUP BY patient_id)
            SELECT q.seq, q.patient_id, q.item_kind, q.device_id, q.name, q.value, q.device_time_ms, q.received_at_ms, q.attempts, q.interval_ms
            FROM evaluation_queue q
            WHERE q.done_at_ms IS NULL
              AND NOT EXISTS (SELECT 1 FROM backing_off b WHERE b.patient_id = q.patient_id AND b.from_seq <= q.seq)
              {skipFilter}
            ORDER BY q.seq
            LIMIT $max
            """;
    }

    private static (string Kind, string Id)? ConsciousnessSource(string name) =>
        name.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && name[..colon] is "staff" or "device" && colon < name.Length - 1
            ? (name[..colon], name[(colon + 1)..])
            : null;

    public async Task DeferAsync(IReadOnlyList<long> sequences, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var turn = await database.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE evaluation_queue SET attempts = attempts + 1, due_at_ms = $due, last_error = $error
            WHERE seq = $seq AND done_at_ms IS NULL
            """;
        update.Parameters.AddWithValue("$due", SqliteTime.ToUnixMs(retryAt));
        update.Parameters.AddWithValue("$error", error.Length > 500 ? error[..500] : error);
        var seq = update.Parameters.Add("$seq", SqliteType.Integer);
        foreach (var sequence in sequences)
        {
            seq.Value = sequence;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(int Count, DateTimeOffset? OldestEnqueuedAt)> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(enqueued_at_ms) FROM evaluation_queue WHERE done_at_ms IS NULL";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : SqliteTime.FromUnixMs(reader.GetInt64(1)));
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM evaluation_queue WHERE done_at_ms IS NOT NULL AND done_at_ms < $before";
        command.Parameters.AddWithValue("$before", SqliteTime.ToUnixMs(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string InsertSql = """
        INSERT OR IGNORE INTO evaluation_queue
            (patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms, enqueued_at_ms, due_at_ms, interval_ms)
        VALUES ($patient, $kind, $device, $name, $value, $time, $received, $now, $now, $interval)
        """;

    private static SqliteCommand CreateInsert(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        insert.Parameters.Add("$patient", SqliteType.Text);
        insert.Parameters.Add("$kind", SqliteType.Text);
        insert.Parameters.Add("$device", SqliteType.Text);
        insert.Parameters.Add("$name", SqliteType.Text);
        insert.Parameters.Add("$value", SqliteType.Real);
        insert.Parameters.Add("$time", SqliteType.Integer);
        insert.Parameters.Add("$received", SqliteType.Integer);
        insert.Parameters.Add("$now", SqliteType.Integer);
        insert.Parameters.Add("$interval", SqliteType.Integer).Value = DBNull.Value;
        return insert;
    }

    private static void Bind(SqliteCommand insert, string patientId, string kind, string deviceId, string name, double? value,
        DateTimeOffset deviceTime, DateTimeOffset receivedAt, DateTimeOffset now, TimeSpan? interval = null)
    {
        insert.Bind("$patient", patientId);
        insert.Bind("$kind", kind);
        insert.Bind("$device", deviceId);
        insert.Bind("$name", name);
        insert.Bind("$value", value);
        insert.Bind("$time", SqliteTime.ToUnixMs(deviceTime));
        insert.Bind("$received", SqliteTime.ToUnixMs(receivedAt));
        insert.Bind("$now", SqliteTime.ToUnixMs(now));
        insert.Bind("$interval", interval is { } i ? (long)i.TotalMilliseconds : null);
    }
}
