using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.Alerts;

/// <summary>An in-memory reading store with the documented semantics the engine relies on (latest by device time).</summary>
internal sealed class InMemoryReadingStore : IReadingStore
{
    private readonly List<Reading> _readings = [];
    private readonly Lock _lock = new();

    /// <summary>Like InfluxDB: the engine's tests hand readings to it directly, nothing is queued.</summary>
    public bool QueuesEvaluation => false;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The alert engine never summarises; the real stores' summaries are in the conformance tests.</summary>
    public Task<IReadOnlyList<ReadingBucket>> SummarizeAsync(ReadingSummaryQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var added = new List<Reading>();
            var conflicts = new List<Reading>();
            foreach (var reading in readings)
            {
                var same = _readings.Find(stored => stored.DeviceId == reading.DeviceId && stored.Kind == reading.Kind && stored.DeviceTime == reading.DeviceTime);
                if (same is null)
                {
                    _readings.Add(reading);
                    added.Add(reading);
                }
                else if (same.Value != reading.Value)
                {
                    conflicts.Add(reading);
                }
            }
            return Task.FromResult(new ReadingAppendResult(added, conflicts));
        }
    }

    public Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("reading store unreachable");
            }
            return Task.FromResult<IReadOnlyList<Reading>>(_readings
                .Where(reading => reading.PatientId == query.PatientId && (query.Kind is null || reading.Kind == query.Kind)
                    && (query.From is null || reading.DeviceTime >= query.From) && (query.To is null || reading.DeviceTime < query.To))
                .OrderBy(reading => reading.DeviceTime)
                .Take(query.Limit)
                .ToArray());
        }
    }

    /// <summary>How many times the latest readings were asked for (the engine asks only for a NEWS2 state kept before 27 November 2026).</summary>
    public int LatestQueries { get; private set; }

    /// <summary>When set, every read fails, as InfluxDB's do while it is down.</summary>
    public bool Unreachable { get; set; }

    public Task<IReadOnlyDictionary<VitalKind, Reading>> LatestByKindAsync(string patientId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            LatestQueries++;
            if (Unreachable)
            {
                throw new HttpRequestException("reading store unreachable");
            }
            return Task.FromResult<IReadOnlyDictionary<VitalKind, Reading>>(_readings
                .Where(reading => reading.PatientId == patientId)
                .GroupBy(reading => reading.Kind)
                .ToDictionary(group => group.Key, group => group.MaxBy(reading => reading.DeviceTime)!));
        }
    }
}

/// <summary>
/// Widens the read-then-write window of the engine (SQLite's async calls complete synchronously, so without
/// this, concurrent batches rarely interleave and a missing per-patient lock would go unnoticed).
/// </summary>
internal sealed class InterleavingAlertStore(IAlertStore inner) : IAlertStore
{
    public async Task<AlertCase?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default)
    {
        var alert = await inner.GetActiveAsync(patientId, conditionKey, cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
        return alert;
    }

    public async Task<IReadOnlyList<AlertCase>> ListActiveForPatientAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var alerts = await inner.ListActiveForPatientAsync(patientId, cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
        return alerts;
    }

    public Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default) => inner.CommitAsync(commit, cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<AlertEventRecord>>> CommitManyAsync(IReadOnlyList<AlertCommit> commits, CancellationToken cancellationToken = default) =>
        inner.CommitManyAsync(commits, cancellationToken);

    public Task<AlertCase?> GetAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetAsync(alertId, cancellationToken);

    public Task<StoredAlert?> GetStoredAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetStoredAsync(alertId, cancellationToken);

    public Task<IReadOnlyList<AlertCase>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);
}

/// <summary>Alerts made by the core's lifecycle, for store tests.</summary>
internal static class TestAlerts
{
    private static readonly RuleState NoState = new("{}");

    /// <summary>The change that raises a new alert (as the engine would for a first finding).</summary>
    public static AlertChange Raise(string patientId, string conditionKey, DateTimeOffset at, AlertSeverity severity = AlertSeverity.High, bool instantaneous = false) =>
        AlertCaseLifecycle.OnEvaluation([], patientId, conditionKey,
            RuleEvaluation.True(new RuleFinding(conditionKey, severity, "test", "reason", instantaneous, at), NoState),
            ResponsePolicy.Default, at)!;
}
