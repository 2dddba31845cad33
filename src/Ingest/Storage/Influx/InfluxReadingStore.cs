using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Contracts.Readings;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Readings in InfluxDB (1.x, or 2.x through its write API and 1.x-compatible /query): measurement <c>vital_reading</c>, tags device_id/kind/patient_id, fields value and
/// received_at_ms, timestamp = device time in ms. InfluxDB silently overwrites a point with the same series and
/// timestamp, so to report which readings are new each chunk first asks which (device, kind, time) already exist
/// (one request, one statement per device), with their values, and drops repeats inside the batch before writing; a
/// repeat with a different value is reported as a conflict, never written over the stored point. When InfluxDB takes
/// only part of a write (1.x "partial write ... dropped=N": it stored the good lines), the same question tells which
/// lines landed: those are new, the others are <see cref="ReadingAppendResult.Refused"/> with InfluxDB's reason; the
/// batch is never resent blindly. A database found missing mid-run (404) is created again (1.x) and the write repeated.
/// With the care record on PostgreSQL the question is asked only about the readings the care record cannot vouch for
/// (<see cref="AppendAsync(IReadOnlyList{Reading}, Func{int, bool}, CancellationToken)"/>): redeliveries, conflicts
/// and readings older than what it keeps.
/// </summary>
/// <remarks>
/// Appends are serialised inside this instance so two concurrent batches cannot both report the same reading as
/// new; run one writer per database. Batches larger than <see cref="InfluxOptions.BatchSize"/> are written in
/// chunks: if a later chunk fails, earlier chunks are stored and a retry of the batch reports them as not new.
/// </remarks>
public sealed partial class InfluxReadingStore : IReadingStore, IDisposable
{
    private readonly InfluxOptions _options;
    private readonly InfluxQueryClient _queryClient;
    private readonly InfluxWriteClient _writeClient;
    private readonly InfluxRetentionSetup _setup;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxReadingStore> _logger;
    private readonly SemaphoreSlim _appendLock = new(1, 1);

    public InfluxReadingStore(HttpClient httpClient, InfluxOptions options, ILogger<InfluxReadingStore>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<InfluxReadingStore>.Instance;
        _queryClient = new InfluxQueryClient(httpClient, options);
        _writeClient = new InfluxWriteClient(httpClient, options, _time, _logger);
        _setup = new InfluxRetentionSetup(_queryClient, options);
    }

    /// <summary>InfluxDB cannot share a transaction with the care record: the pipeline queues evaluation itself.</summary>
    public bool QueuesEvaluation => false;

    /// <summary>
    /// 1.x: creates the database, retention policies and continuous query (all idempotent, so safe at every start).
    /// 2.x: buckets and their retention belong to the operator; nothing is created.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_options.ApiVersion == InfluxApiVersion.V1)
        {
            await _setup.ApplyAsync(cancellationToken);
        }
    }

    /// <summary>The raw measurement, qualified by its retention policy when one is configured.</summary>
    private string RawSource => Source(_options.RawRetentionPolicy, InfluxLineProtocolWriter.Measurement);

    private static string Source(string? retentionPolicy, string measurement) =>
        retentionPolicy is null
            ? InfluxQueryClient.QuoteIdentifier(measurement)
            : InfluxQueryClient.QuoteIdentifier(retentionPolicy) + "." + InfluxQueryClient.QuoteIdentifier(measurement);

    public Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default) =>
        AppendAsync(readings, static _ => false, cancellationToken);

    /// <summary>
    /// Readings <paramref name="neverAcknowledged"/> vouches for are left out of the "already stored?" question (about
    /// half of InfluxDB's work when every reading is asked about) and written: InfluxDB can hold them only from a
    /// delivery that was never acknowledged, never evaluated, and that this write rightly replaces.
    /// </summary>
    public async Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, Func<int, bool> neverAcknowledged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(neverAcknowledged);
        if (readings.Count == 0)
        {
            return ReadingAppendResult.Empty;
        }

        await _appendLock.WaitAsync(cancellationToken);
        try
        {
            // The value each identity holds once this chunk is written: the stored one, or the first of the batch.
            var holds = new Dictionary<ReadingKey, double>();
            var added = new List<Reading>(readings.Count);
            var conflicts = new List<(int Index, Reading Reading)>();
            var refused = new List<RefusedReading>();
            var index = 0;
            foreach (var chunk in readings.Chunk(_options.BatchSize))
            {
                var candidates = new List<(Reading Reading, ReadingKey Key, string Line, int Index)>(chunk.Length);
                var repeats = new List<(Reading Reading, ReadingKey Key, int Index)>();
                var firstInChunk = new HashSet<ReadingKey>();
                foreach (var reading in chunk)
                {
                    var key = ReadingKey.Of(reading);
                    var position = index++;
                    if (holds.ContainsKey(key) || !firstInChunk.Add(key))
                    {
                        repeats.Add((reading, key, position));
                        continue;
                    }
                    // Formatting first means a reading InfluxDB cannot hold fails the batch before anything is sent.
                    var line = new StringBuilder();
                    InfluxLineProtocolWriter.Append(line, reading);
                    candidates.Add((reading, key, line.ToString(), position));
                }

                var existing = await ExistingKeysAsync(candidates.Where(c => !neverAcknowledged(c.Index)).Select(c => c.Key).ToList(), cancellationToken);
                var fresh = new List<(Reading Reading, ReadingKey Key, string Line, int Index)>(candidates.Count);
                foreach (var candidate in candidates)
                {
                    if (existing.TryGetValue(candidate.Key, out var storedValue))
                    {
                        holds[candidate.Key] = storedValue;
                        if (storedValue != candidate.Reading.Value)
                        {
                            conflicts.Add((candidate.Index, candidate.Reading));
                        }
                    }
                    else
                    {
                        holds[candidate.Key] = candidate.Reading.Value;
                        fresh.Add(candidate);
                    }
                }
                var notStored = new HashSet<int>();
                if (fresh.Count > 0)
                {
                    var lines = fresh.Select(c => c.Line).ToList();
                    var rejected = await WriteAsync(lines, cancellationToken);
                    if (rejected.Count > 0)
                    {
                        // Ask which of the rejected parts' readings InfluxDB holds now: those landed; the others were dropped.
                        var uncertain = rejected.Where(r => r.SomeMayBeStored)
                            .SelectMany(r => Enumerable.Range(r.Start, r.Count)).Select(i => fresh[i].Key).ToList();
                        var nowStored = await ExistingKeysAsync(uncertain, cancellationToken);
                        foreach (var part in rejected)
                        {
                            for (var i = part.Start; i < part.Start + part.Count; i++)
                            {
                                var candidate = fresh[i];
                                if (part.SomeMayBeStored && nowStored.TryGetValue(candidate.Key, out var landed))
                                {
                                    if (landed != candidate.Reading.Value)
                                    {
                                        // Another writer got there between our check and our write: its value stays.
                                        holds[candidate.Key] = landed;
                                        notStored.Add(i);
                                        conflicts.Add((candidate.Index, candidate.Reading));
                                    }
                                    continue;
                                }
                                notStored.Add(i);
                                holds.Remove(candidate.Key);
                                refused.Add(new RefusedReading(candidate.Reading, part.Reason));
                            }
                        }
                        LogPartialWrite(_logger, notStored.Count, fresh.Count, _options.Database);
                    }
                }
                // Repeats of a refused reading are refused with it; repeats of a stored one are duplicates or conflicts.
                foreach (var repeat in repeats)
                {
                    if (!holds.TryGetValue(repeat.Key, out var held))
                    {
                        refused.Add(new RefusedReading(repeat.Reading, refused.First(r => ReadingKey.Of(r.Reading) == repeat.Key).Reason));
                    }
                    else if (held != repeat.Reading.Value)
                    {
                        conflicts.Add((repeat.Index, repeat.Reading));
                    }
                }
                added.AddRange(fresh.Where((_, i) => !notStored.Contains(i)).Select(c => c.Reading));
                LogChunkStored(_logger, fresh.Count - notStored.Count, chunk.Length, _options.Database);
            }
            // Conflicts in input order, like the added readings.
            return new ReadingAppendResult(added, conflicts.OrderBy(c => c.Index).Select(c => c.Reading).ToList(), refused);
        }
        finally
        {
            _appendLock.Release();
        }
    }

    /// <summary>Writes the lines; a database found missing (404) on 1.x is created again, with its policies, and the write repeated once.</summary>
    private async Task<IReadOnlyList<InfluxRejectedLines>> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        try
        {
            return await _writeClient.WriteLinesAsync(lines, cancellationToken);
        }
        catch (InfluxException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound && _options.ApiVersion == InfluxApiVersion.V1)
        {
            // Dropped by someone, or a fresh server behind the same address: nothing of this write was stored.
            LogDatabaseMissing(_logger, _options.Database);
            await _setup.ApplyAsync(cancellationToken);
            return await _writeClient.WriteLinesAsync(lines, cancellationToken);
        }
        catch (InfluxException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InfluxException("write", exception.StatusCode,
                $"bucket '{_options.Bucket}' of organisation '{_options.Org}' not found (create it; the platform does not create 2.x buckets): {exception.ServerMessage}",
                exception);
        }
    }

    public async Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query.Limit));

        var influxQl = new StringBuilder()
            .Append("SELECT \"value\", \"received_at_ms\", \"device_id\", \"kind\" FROM ").Append(RawSource)
            .Append(" WHERE \"patient_id\" = ").Append(InfluxQueryClient.QuoteString(query.PatientId));
        if (query.Kind is { } kind)
        {
            influxQl.Append(" AND \"kind\" = ").Append(InfluxQueryClient.QuoteString(kind.WireName()));
        }
        if (query.From is { } from)
        {
            influxQl.Append(" AND time >= ").Append(EpochMs(from));
        }
        if (query.To is { } to)
        {
            influxQl.Append(" AND time < ").Append(EpochMs(to));
        }
        influxQl.Append(" ORDER BY time ASC LIMIT ").Append(query.Limit.ToString(CultureInfo.InvariantCulture));

        var results = await _queryClient.QueryAsync(influxQl.ToString(), cancellationToken);
        var readings = new List<Reading>();
        foreach (var series in results.SelectMany(r => r.Series))
        {
            readings.AddRange(ReadRows(series, query.PatientId, kindFromTags: null));
        }
        // Same tie order as the SQLite store: time, then device, then kind.
        return readings
            .OrderBy(r => r.DeviceTime)
            .ThenBy(r => r.DeviceId, StringComparer.Ordinal)
            .ThenBy(r => r.Kind.WireName(), StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyDictionary<VitalKind, Reading>> LatestByKindAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        // One series per kind; newest first with LIMIT 1 gives each kind's latest point.
        var influxQl =
            $"SELECT \"value\", \"received_at_ms\", \"device_id\" FROM {RawSource} " +
            $"WHERE \"patient_id\" = {InfluxQueryClient.QuoteString(patientId)} GROUP BY \"kind\" ORDER BY time DESC LIMIT 1";
        var results = await _queryClient.QueryAsync(influxQl, cancellationToken);
        var latest = new Dictionary<VitalKind, Reading>();
        foreach (var series in results.SelectMany(r => r.Series))
        {
            if (!series.Tags.TryGetValue(InfluxLineProtocolWriter.KindTag, out var kindName) || !VitalKinds.TryParseWireName(kindName, out var kind))
            {
                continue;
            }
            foreach (var reading in ReadRows(series, patientId, kind))
            {
                if (!latest.TryGetValue(kind, out var current) || reading.DeviceTime > current.DeviceTime)
                {
                    latest[kind] = reading;
                }
            }
        }
        return latest;
    }

    /// <summary>
    /// Per interval from the raw points; with downsampling on (1.x) and raw retention set, intervals older than the raw
    /// policy keeps come from the continuous query's summaries (when the interval is a whole multiple of
    /// <see cref="InfluxOptions.DownsampleInterval"/>), so a long range still has its old buckets. The two sources
    /// never overlap in time, so merging them counts nothing twice.
    /// </summary>
    public async Task<IReadOnlyList<ReadingBucket>> SummarizeAsync(ReadingSummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }
        var fromMs = query.From.ToUnixTimeMilliseconds();
        var toMs = query.To.ToUnixTimeMilliseconds();
        var buckets = new SortedDictionary<long, (double Min, double Max, double Sum, long Count)>();
        var rawFromMs = fromMs;
        if (DownsampledBoundaryMs(query) is { } boundaryMs && boundaryMs > fromMs)
        {
            var downsampledToMs = Math.Min(toMs, boundaryMs);
            await SummarizeFromAsync(
                Source(_options.DownsampledRetentionPolicy, InfluxRetentionSetup.DownsampledMeasurement),
                "min(\"min\"), max(\"max\"), sum(\"sum\"), sum(\"count\")", query, fromMs, downsampledToMs, buckets, cancellationToken);
            rawFromMs = downsampledToMs;
        }
        if (rawFromMs < toMs)
        {
            await SummarizeFromAsync(RawSource, "min(\"value\"), max(\"value\"), sum(\"value\"), count(\"value\")", query, rawFromMs, toMs, buckets, cancellationToken);
        }
        return buckets
            .Select(b => new ReadingBucket(DateTimeOffset.FromUnixTimeMilliseconds(b.Key), b.Value.Min, b.Value.Sum / b.Value.Count, b.Value.Max, b.Value.Count))
            .ToList();
    }

    /// <summary>Where downsampled summaries take over from raw points (Unix ms), or null when they do not apply.</summary>
    private long? DownsampledBoundaryMs(ReadingSummaryQuery query)
    {
        if (_options.ApiVersion != InfluxApiVersion.V1 || _options.DownsampleInterval is not { } interval
            || _options.RawRetention <= TimeSpan.Zero || query.Interval.Ticks % interval.Ticks != 0)
        {
            return null;
        }
        // Raw points are complete from (now - RawRetention); the summaries are complete up to (now - late window),
        // which is later. Rounded up to a downsample interval, so every summary used covers a whole interval.
        var intervalMs = (long)interval.TotalMilliseconds;
        var rawFrom = (_time.GetUtcNow() - _options.RawRetention).ToUnixTimeMilliseconds();
        return (rawFrom + intervalMs - 1) / intervalMs * intervalMs;
    }

    private async Task SummarizeFromAsync(
        string source, string aggregates, ReadingSummaryQuery query, long fromMs, long toMs,
        SortedDictionary<long, (double Min, double Max, double Sum, long Count)> buckets, CancellationToken cancellationToken)
    {
        var influxQl =
            $"SELECT {aggregates} FROM {source} WHERE \"patient_id\" = {InfluxQueryClient.QuoteString(query.PatientId)} " +
            $"AND \"kind\" = {InfluxQueryClient.QuoteString(query.Kind.WireName())} AND time >= {fromMs}ms AND time < {toMs}ms " +
            $"GROUP BY time({(long)query.Interval.TotalMilliseconds}ms) fill(none)";
        var results = await _queryClient.QueryAsync(influxQl, cancellationToken);
        foreach (var series in results.SelectMany(r => r.Series))
        {
            foreach (var row in series.Values)
            {
                // Columns: time, min, max, sum, count (the aggregates' order above).
                if (row[4].ValueKind != JsonValueKind.Number || row[4].GetInt64() == 0)
                {
                    continue;
                }
                var start = query.BucketStartMs(row[0].GetInt64());
                var part = (Min: row[1].GetDouble(), Max: row[2].GetDouble(), Sum: row[3].GetDouble(), Count: row[4].GetInt64());
                buckets[start] = buckets.TryGetValue(start, out var held)
                    ? (Math.Min(held.Min, part.Min), Math.Max(held.Max, part.Max), held.Sum + part.Sum, held.Count + part.Count)
                    : part;
            }
        }
    }

    public void Dispose() => _appendLock.Dispose();

    /// <summary>Which of the keys are already stored, with their values: one request carrying one SELECT per device over the chunk's time span.</summary>
    private async Task<Dictionary<ReadingKey, double>> ExistingKeysAsync(IReadOnlyList<ReadingKey> keys, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<ReadingKey, double>();
        if (keys.Count == 0)
        {
            return existing;
        }
        // InfluxQL cannot OR time ranges together, so each device gets its own statement with its own range.
        var byDevice = keys.GroupBy(k => k.DeviceId, StringComparer.Ordinal).ToList();
        var statements = byDevice.Select(group =>
        {
            var kinds = string.Join(" OR ", group.Select(k => k.Kind).Distinct().Select(k => $"\"kind\" = {InfluxQueryClient.QuoteString(k.WireName())}"));
            return $"SELECT \"value\", \"kind\" FROM {RawSource} " +
                   $"WHERE \"device_id\" = {InfluxQueryClient.QuoteString(group.Key)} AND ({kinds}) " +
                   $"AND time >= {group.Min(k => k.DeviceTimeMs)}ms AND time <= {group.Max(k => k.DeviceTimeMs)}ms";
        });
        IReadOnlyList<InfluxStatementResult> results;
        try
        {
            results = await _queryClient.QueryAsync(string.Join(";\n", statements), cancellationToken);
        }
        catch (InfluxException exception) when (_options.ApiVersion == InfluxApiVersion.V1
            && exception.ServerMessage.StartsWith("database not found", StringComparison.Ordinal))
        {
            // Dropped while running (or a fresh server behind the same address): it holds nothing, so nothing is
            // stored yet; create it again, with its policies, before writing.
            LogDatabaseMissing(_logger, _options.Database);
            await _setup.ApplyAsync(cancellationToken);
            return existing;
        }
        foreach (var result in results)
        {
            if (result.StatementId < 0 || result.StatementId >= byDevice.Count)
            {
                throw new InvalidDataException($"InfluxDB answered statement {result.StatementId} of {byDevice.Count}.");
            }
            var deviceId = byDevice[result.StatementId].Key;
            foreach (var series in result.Series)
            {
                var timeColumn = series.ColumnIndex("time");
                var kindColumn = series.ColumnIndex("kind");
                var valueColumn = series.ColumnIndex("value");
                foreach (var row in series.Values)
                {
                    if (VitalKinds.TryParseWireName(row[kindColumn].GetString(), out var kind))
                    {
                        // A point without a numeric value cannot be compared; NaN never equals, so a repeat is a conflict.
                        existing[new ReadingKey(deviceId, kind, row[timeColumn].GetInt64())] =
                            row[valueColumn].ValueKind == JsonValueKind.Number ? row[valueColumn].GetDouble() : double.NaN;
                    }
                }
            }
        }
        return existing;
    }

    private static IEnumerable<Reading> ReadRows(InfluxSeries series, string patientId, VitalKind? kindFromTags)
    {
        var timeColumn = series.ColumnIndex("time");
        var valueColumn = series.ColumnIndex("value");
        var receivedColumn = series.ColumnIndex("received_at_ms");
        var deviceColumn = series.ColumnIndex("device_id");
        var kindColumn = kindFromTags is null ? series.ColumnIndex("kind") : -1;
        foreach (var row in series.Values)
        {
            if (row[valueColumn].ValueKind != JsonValueKind.Number)
            {
                continue;
            }
            var kind = kindFromTags ?? VitalKinds.ParseWireName(row[kindColumn].GetString() ?? "");
            var deviceTime = DateTimeOffset.FromUnixTimeMilliseconds(row[timeColumn].GetInt64());
            var receivedAt = row[receivedColumn].ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds(row[receivedColumn].GetInt64())
                : deviceTime;
            yield return new Reading(row[deviceColumn].GetString() ?? "", patientId, kind, row[valueColumn].GetDouble(), deviceTime, receivedAt);
        }
    }

    private static string EpochMs(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "ms";

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB took part of a write to {Database}: {NotStored} of {Count} readings not stored (refused with its reason)")]
    private static partial void LogPartialWrite(ILogger logger, int notStored, int count, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB database {Database} was missing (HTTP 404); creating it again and repeating the write")]
    private static partial void LogDatabaseMissing(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {NewCount} new of {Count} readings in InfluxDB database {Database}")]
    private static partial void LogChunkStored(ILogger logger, int newCount, int count, string database);

    private readonly record struct ReadingKey(string DeviceId, VitalKind Kind, long DeviceTimeMs)
    {
        public static ReadingKey Of(Reading reading) => new(reading.DeviceId, reading.Kind, reading.DeviceTime.ToUnixTimeMilliseconds());
    }
}
