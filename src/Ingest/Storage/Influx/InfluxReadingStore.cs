using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Contracts.Readings;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Readings in InfluxDB 1.x: measurement <c>vital_reading</c>, tags device_id/kind/patient_id, fields value and
/// received_at_ms, timestamp = device time in ms. InfluxDB silently overwrites a point with the same series and
/// timestamp, so to report which readings are new each chunk first asks which (device, kind, time) already exist
/// (one request, one statement per device), with their values, and drops repeats inside the batch before writing; a
/// repeat with a different value is reported as a conflict, never written over the stored point.
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
    private readonly ILogger<InfluxReadingStore> _logger;
    private readonly SemaphoreSlim _appendLock = new(1, 1);

    public InfluxReadingStore(HttpClient httpClient, InfluxOptions options, ILogger<InfluxReadingStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _queryClient = new InfluxQueryClient(httpClient, options);
        _writeClient = new InfluxWriteClient(httpClient, options);
        _logger = logger ?? NullLogger<InfluxReadingStore>.Instance;
    }

    /// <summary>CREATE DATABASE is idempotent in InfluxDB 1.x, so this is safe at every start.</summary>
    /// <summary>InfluxDB cannot share a transaction with the care record: the pipeline queues evaluation itself.</summary>
    public bool QueuesEvaluation => false;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _queryClient.ExecuteAsync($"CREATE DATABASE {InfluxQueryClient.QuoteIdentifier(_options.Database)}", cancellationToken);
    }

    public async Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
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

                var existing = await ExistingKeysAsync(candidates.Select(c => c.Key).ToList(), cancellationToken);
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
                conflicts.AddRange(repeats.Where(r => holds[r.Key] != r.Reading.Value).Select(r => (r.Index, r.Reading)));
                if (fresh.Count > 0)
                {
                    await _writeClient.WriteAsync(string.Join('\n', fresh.Select(c => c.Line)), cancellationToken);
                }
                added.AddRange(fresh.Select(c => c.Reading));
                LogChunkStored(_logger, fresh.Count, chunk.Length, _options.Database);
            }
            // Conflicts in input order, like the added readings.
            return new ReadingAppendResult(added, conflicts.OrderBy(c => c.Index).Select(c => c.Reading).ToList());
        }
        finally
        {
            _appendLock.Release();
        }
    }

    public async Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query.Limit));

        var influxQl = new StringBuilder()
            .Append("SELECT \"value\", \"received_at_ms\", \"device_id\", \"kind\" FROM ").Append(InfluxQueryClient.QuoteIdentifier(InfluxLineProtocolWriter.Measurement))
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
            $"SELECT \"value\", \"received_at_ms\", \"device_id\" FROM {InfluxQueryClient.QuoteIdentifier(InfluxLineProtocolWriter.Measurement)} " +
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
            return $"SELECT \"value\", \"kind\" FROM {InfluxQueryClient.QuoteIdentifier(InfluxLineProtocolWriter.Measurement)} " +
                   $"WHERE \"device_id\" = {InfluxQueryClient.QuoteString(group.Key)} AND ({kinds}) " +
                   $"AND time >= {group.Min(k => k.DeviceTimeMs)}ms AND time <= {group.Max(k => k.DeviceTimeMs)}ms";
        });
        var results = await _queryClient.QueryAsync(string.Join(";\n", statements), cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {NewCount} new of {Count} readings in InfluxDB database {Database}")]
    private static partial void LogChunkStored(ILogger logger, int newCount, int count, string database);

    private readonly record struct ReadingKey(string DeviceId, VitalKind Kind, long DeviceTimeMs)
    {
        public static ReadingKey Of(Reading reading) => new(reading.DeviceId, reading.Kind, reading.DeviceTime.ToUnixTimeMilliseconds());
    }
}
