using System.Globalization;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Creates what an InfluxDB 1.x database needs, idempotently, at every start: the database, the raw readings'
/// retention policy (made the default) and, when downsampling is on, the downsampled policy and the continuous query
/// that fills it. Settings that changed are applied (ALTER RETENTION POLICY; a continuous query is replaced, since
/// InfluxDB cannot alter one).
/// </summary>
public sealed class InfluxRetentionSetup
{
    /// <summary>Measurement the continuous query writes: fields min, max, sum and count of "value", tags as the raw series.</summary>
    public const string DownsampledMeasurement = "vital_reading_ds";

    /// <summary>Every continuous query this class creates starts with this; one with the same prefix but other settings is replaced.</summary>
    public const string ContinuousQueryPrefix = "cq_vital_reading_ds";

    private readonly InfluxQueryClient _queryClient;
    private readonly InfluxOptions _options;

    public InfluxRetentionSetup(InfluxQueryClient queryClient, InfluxOptions options)
    {
        _queryClient = queryClient;
        _options = options;
    }

    /// <summary>The continuous query's name carries its settings, so a changed setting is seen as a different query.</summary>
    public string ContinuousQueryName =>
        _options.DownsampleInterval is { } interval
            ? $"{ContinuousQueryPrefix}_{Duration(interval)}_for_{Duration(_options.DownsampleLateWindow)}_{_options.RawRetentionPolicy ?? "default"}_to_{_options.DownsampledRetentionPolicy}"
            : "";

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var database = InfluxQueryClient.QuoteIdentifier(_options.Database);
        await _queryClient.ExecuteAsync($"CREATE DATABASE {database}", cancellationToken);
        if (_options.RawRetentionPolicy is null && _options.DownsampleInterval is null)
        {
            return;
        }
        var policies = await RetentionPoliciesAsync(cancellationToken);
        if (_options.RawRetentionPolicy is { } raw)
        {
            await EnsurePolicyAsync(policies, raw, _options.RawRetention, isDefault: true, cancellationToken);
        }
        if (_options.DownsampleInterval is not { } interval)
        {
            return;
        }
        await EnsurePolicyAsync(policies, _options.DownsampledRetentionPolicy, _options.DownsampledRetention, isDefault: false, cancellationToken);

        var existing = await ContinuousQueriesAsync(cancellationToken);
        foreach (var name in existing.Where(n => n.StartsWith(ContinuousQueryPrefix, StringComparison.Ordinal) && n != ContinuousQueryName))
        {
            await _queryClient.ExecuteAsync($"DROP CONTINUOUS QUERY {InfluxQueryClient.QuoteIdentifier(name)} ON {database}", cancellationToken);
        }
        if (!existing.Contains(ContinuousQueryName))
        {
            var source = _options.RawRetentionPolicy is { } rawPolicy
                ? $"{database}.{InfluxQueryClient.QuoteIdentifier(rawPolicy)}.{InfluxQueryClient.QuoteIdentifier(InfluxLineProtocolWriter.Measurement)}"
                : $"{database}..{InfluxQueryClient.QuoteIdentifier(InfluxLineProtocolWriter.Measurement)}";
            // GROUP BY * keeps every tag, so each device's series is summarised on its own (the store re-aggregates per
            // patient). sum rather than mean, so means over longer intervals can be recomputed exactly from the parts.
            // RESAMPLE FOR recomputes recent intervals on every run: readings uploaded late are still counted.
            await _queryClient.ExecuteAsync(
                $"CREATE CONTINUOUS QUERY {InfluxQueryClient.QuoteIdentifier(ContinuousQueryName)} ON {database} " +
                $"RESAMPLE EVERY {Duration(interval)} FOR {Duration(_options.DownsampleLateWindow)} BEGIN " +
                "SELECT min(\"value\") AS \"min\", max(\"value\") AS \"max\", sum(\"value\") AS \"sum\", count(\"value\") AS \"count\" " +
                $"INTO {database}.{InfluxQueryClient.QuoteIdentifier(_options.DownsampledRetentionPolicy)}.{InfluxQueryClient.QuoteIdentifier(DownsampledMeasurement)} " +
                $"FROM {source} GROUP BY time({Duration(interval)}), * END",
                cancellationToken);
        }
    }

    /// <summary>An InfluxQL duration literal in whole seconds ("INF" for zero, meaning forever, in retention policies).</summary>
    public static string Duration(TimeSpan span) =>
        span == TimeSpan.Zero ? "INF" : ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    private async Task EnsurePolicyAsync(
        Dictionary<string, (string Duration, bool IsDefault)> policies, string name, TimeSpan duration, bool isDefault, CancellationToken cancellationToken)
    {
        var statement = policies.ContainsKey(name) ? "ALTER" : "CREATE";
        var replication = statement == "CREATE" ? " REPLICATION 1" : "";
        await _queryClient.ExecuteAsync(
            $"{statement} RETENTION POLICY {InfluxQueryClient.QuoteIdentifier(name)} ON {InfluxQueryClient.QuoteIdentifier(_options.Database)} " +
            $"DURATION {Duration(duration)}{replication}{(isDefault ? " DEFAULT" : "")}",
            cancellationToken);
    }

    /// <summary>Name → (duration as InfluxDB shows it, default?) of the database's retention policies.</summary>
    public async Task<Dictionary<string, (string Duration, bool IsDefault)>> RetentionPoliciesAsync(CancellationToken cancellationToken)
    {
        var results = await _queryClient.QueryAsync($"SHOW RETENTION POLICIES ON {InfluxQueryClient.QuoteIdentifier(_options.Database)}", cancellationToken);
        var policies = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        foreach (var series in results.SelectMany(r => r.Series))
        {
            var name = series.ColumnIndex("name");
            var duration = series.ColumnIndex("duration");
            var isDefault = series.ColumnIndex("default");
            foreach (var row in series.Values)
            {
                policies[row[name].GetString() ?? ""] = (row[duration].GetString() ?? "", row[isDefault].GetBoolean());
            }
        }
        return policies;
    }

    /// <summary>Names of this database's continuous queries.</summary>
    public async Task<HashSet<string>> ContinuousQueriesAsync(CancellationToken cancellationToken)
    {
        var results = await _queryClient.QueryAsync("SHOW CONTINUOUS QUERIES", cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in results.SelectMany(r => r.Series).Where(s => s.Name == _options.Database))
        {
            var name = series.ColumnIndex("name");
            foreach (var row in series.Values)
            {
                names.Add(row[name].GetString() ?? "");
            }
        }
        return names;
    }
}
