using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Ingest;

/// <summary>
/// The embedded reading store. Identity is enforced by a UNIQUE (device_id, device_time_ms, kind) constraint:
/// a batch is inserted with INSERT OR IGNORE inside one transaction and the per-row change count tells which
/// rows were new, so a redelivered MQTT message or a repeat inside one batch is stored once. An ignored row whose stored
/// value differs is reported as a conflict. The new rows are also queued for evaluation in that same transaction
/// (<see cref="SqliteEvaluationQueue"/>): nothing is stored without being due for evaluation.
/// </summary>
public sealed class SqliteReadingStore : IReadingStore
{
    private const string Columns = "device_id, patient_id, kind, value, device_time_ms, received_at_ms";

    private static readonly VitalKind[] AllKinds = Enum.GetValues<VitalKind>();

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    // The tables come from the migrations (SqliteMigrator), run once at start before any store is used.
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public SqliteReadingStore(SqliteDatabase database)
        : this(database, TimeProvider.System)
    {
    }

    public SqliteReadingStore(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public bool QueuesEvaluation => true;

    /// <summary>Deletes readings measured (device time) before <paramref name="before"/>; returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        SqliteRetention.DeleteOlderThanAsync(_database, "vital_readings", "device_time_ms", before, cancellationToken);

    public async Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return ReadingAppendResult.Empty;
        }

        await using var write = await _database.BeginWriteAsync(cancellationToken);
        // The rows this transaction adds are those after the last one now (the write turn's IMMEDIATE transaction
        // keeps every other writer out until the commit).
        var lastBefore = await write.Statement("SELECT COALESCE(MAX(rowid), 0) FROM vital_readings").ExecuteScalarAsync(cancellationToken) as long? ?? 0;
        var insert = write.Prepared($"INSERT OR IGNORE INTO vital_readings ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        var added = new List<Reading>(readings.Count);
        var conflicts = new List<Reading>();
        foreach (var reading in readings)
        {
            if (!double.IsFinite(reading.Value))
            {
                throw new ArgumentException($"Reading from device {reading.DeviceId} has a non-finite value.", nameof(readings));
            }
            var kind = reading.Kind.WireName();
            var time = SqliteTime.ToUnixMs(reading.DeviceTime);
            insert.Bind(1, reading.DeviceId).Bind(2, reading.PatientId).Bind(3, kind).Bind(4, reading.Value)
                .Bind(5, time).Bind(6, SqliteTime.ToUnixMs(reading.ReceivedAt));
            // The change count: 1 when the row was inserted, 0 when the UNIQUE key ignored it.
            if (insert.Execute() == 1)
            {
                added.Add(reading);
                continue;
            }
            // Ignored: the same identity is stored (earlier, or earlier in this batch). Only a repeat is rare enough
            // to look up; exact equality, as a resent message carries the very same canonical value.
            var storedValue = write.Prepared("SELECT value FROM vital_readings WHERE device_id = ?1 AND kind = ?2 AND device_time_ms = ?3")
                .Bind(1, reading.DeviceId).Bind(2, kind).Bind(3, time).QueryDouble();
            if (storedValue is { } value && value != reading.Value)
            {
                conflicts.Add(reading);
            }
        }

        await SqliteEvaluationQueue.EnqueueStoredReadingsAsync(write, lastBefore, _time.GetUtcNow(), cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new ReadingAppendResult(added, conflicts);
    }

    public async Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query.Limit));

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM vital_readings WHERE patient_id = $patient");
        command.Parameters.AddWithValue("$patient", query.PatientId);
        if (query.Kind is { } kind)
        {
            sql.Append(" AND kind = $kind");
            command.Parameters.AddWithValue("$kind", kind.WireName());
        }
        else
        {
            // Every kind by name: the (patient, kind, time) index then seeks each kind's time range, where without the
            // kind it would read all of the person's readings (the table keeps no (patient, time) index: migration 11).
            sql.Append(" AND kind IN (").AppendJoin(", ", AllKinds.Select((_, index) => "$kind" + index)).Append(')');
            for (var index = 0; index < AllKinds.Length; index++)
            {
                command.Parameters.AddWithValue("$kind" + index, AllKinds[index].WireName());
            }
        }
        if (query.From is { } from)
        {
            sql.Append(" AND device_time_ms >= $from");
            command.Parameters.AddWithValue("$from", SqliteTime.ToUnixMs(from));
        }
        if (query.To is { } to)
        {
            sql.Append(" AND device_time_ms < $to");
            command.Parameters.AddWithValue("$to", SqliteTime.ToUnixMs(to));
        }
        // Ties in device time (a blood-pressure cuff sends systolic and diastolic together) are ordered by
        // device then kind, the same order InfluxDB's series keys give.
        sql.Append(" ORDER BY device_time_ms, device_id, kind LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();

        var results = new List<Reading>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(ReadRow(reader));
        }
        return results;
    }

    public async Task<IReadOnlyDictionary<VitalKind, Reading>> LatestByKindAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patientId);

        await using var read = await _database.BeginReadAsync(cancellationToken);
        // One index seek per kind (patient, kind, device time: newest first, LIMIT 1), not a GROUP BY over every reading
        // the person ever sent (evaluation asks this for every person in every pass, and a person's history only grows).
        // One simple statement stepped once per kind: SQLite prepares it once, where a UNION of eight costs more to
        // prepare than to run.
        var statement = read.Prepared($"SELECT {Columns} FROM vital_readings WHERE patient_id = ?1 AND kind = ?2 ORDER BY device_time_ms DESC LIMIT 1")
            .Bind(1, patientId);

        var latest = new Dictionary<VitalKind, Reading>();
        foreach (var wanted in AllKinds)
        {
            if (statement.Bind(2, wanted.WireName()).TryReadFirst(ReadRow, out var reading))
            {
                latest[wanted] = reading;
            }
        }
        return latest;
    }

    public async Task<IReadOnlyList<ReadingBucket>> SummarizeAsync(ReadingSummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Buckets at whole multiples of the interval since the epoch, as InfluxDB's GROUP BY time() has them.
        command.CommandText = """
            SELECT device_time_ms - ((device_time_ms % $interval) + $interval) % $interval AS bucket,
                   MIN(value), AVG(value), MAX(value), COUNT(*)
            FROM vital_readings
            WHERE patient_id = $patient AND kind = $kind AND device_time_ms >= $from AND device_time_ms < $to
            GROUP BY bucket ORDER BY bucket
            """;
        command.Parameters.AddWithValue("$interval", (long)query.Interval.TotalMilliseconds);
        command.Parameters.AddWithValue("$patient", query.PatientId);
        command.Parameters.AddWithValue("$kind", query.Kind.WireName());
        command.Parameters.AddWithValue("$from", SqliteTime.ToUnixMs(query.From));
        command.Parameters.AddWithValue("$to", SqliteTime.ToUnixMs(query.To));

        var buckets = new List<ReadingBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new ReadingBucket(SqliteTime.FromUnixMs(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return buckets;
    }

    private static Reading ReadRow(SqliteStatement row) => new(
        DeviceId: row.Text(0)!,
        PatientId: row.Text(1)!,
        Kind: VitalKinds.ParseWireName(row.Text(2)!),
        Value: row.Real(3),
        DeviceTime: SqliteTime.FromUnixMs(row.Integer(4)),
        ReceivedAt: SqliteTime.FromUnixMs(row.Integer(5)));

    private static Reading ReadRow(SqliteDataReader reader) => new(
        DeviceId: reader.GetString(0),
        PatientId: reader.GetString(1),
        Kind: VitalKinds.ParseWireName(reader.GetString(2)),
        Value: reader.GetDouble(3),
        DeviceTime: SqliteTime.FromUnixMs(reader.GetInt64(4)),
        ReceivedAt: SqliteTime.FromUnixMs(reader.GetInt64(5)));
}
