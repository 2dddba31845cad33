using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Storage;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// Turns stored data into alerts: thresholds per reading, then NEWS2 over the latest readings, and a red flag per
/// telecare event. Everything one evaluation changes — alerts, their events in the alert event log, and the queue
/// items it completes — is recorded in one transaction (<see cref="IAlertStore.CommitAsync"/>), so an evaluation
/// interrupted at any point is simply done again, with no effect lost and none doubled. Nothing is pushed from here:
/// SignalR, FHIR and the follow-up work follow the event log. Work for one patient is serialised in this process.
/// </summary>
public sealed partial class AlertEngine(
    IAlertStore alerts,
    IReadingStore readings,
    IThresholdRepository thresholds,
    IPatientRepository patients,
    INews2AssessmentStore assessments,
    IEnumerable<INews2AssessmentObserver> assessmentObservers,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertEngine> logger)
{
    private readonly INews2AssessmentObserver[] _assessmentObservers = assessmentObservers.ToArray();

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _patientLocks = new(StringComparer.Ordinal);

    /// <summary>
    /// Evaluates one patient's due items in queue order and records the outcome with the items' completion.
    /// Consecutive readings are judged together (each against its thresholds, then NEWS2 once over the latest).
    /// </summary>
    /// <returns>The alert events recorded.</returns>
    public async Task<IReadOnlyList<AlertEventRecord>> EvaluateDueAsync(string patientId, IReadOnlyList<DueItem> items, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Any(item => item.PatientId != patientId))
        {
            throw new ArgumentException("Every item must belong to the patient evaluated.", nameof(items));
        }
        return await SerialisedAsync(patientId, async () =>
        {
            var working = new WorkingAlerts(patientId, await alerts.ListActiveForPatientAsync(patientId, cancellationToken));
            var ordered = items.OrderBy(item => item.Sequence).ToList();
            for (var i = 0; i < ordered.Count;)
            {
                if (ordered[i].Kind == DueItemKind.TelecareEvent)
                {
                    await ApplyAsync(working, RuleOutcome.Raise(TelecareEventRule.Evaluate(ordered[i].Event!)), cancellationToken);
                    i++;
                    continue;
                }
                var run = new List<Reading>();
                while (i < ordered.Count && ordered[i].Kind == DueItemKind.Reading)
                {
                    run.Add(ordered[i].Reading!);
                    i++;
                }
                await EvaluateReadingsAsync(patientId, run.OrderBy(reading => reading.DeviceTime).ToList(), working, cancellationToken);
            }
            CrashPoints.Reach(CrashPoints.BeforeAlertCommit);
            var recorded = await alerts.CommitAsync(new AlertCommit(patientId, working.Changes, ordered.Select(item => item.Sequence).ToList()), cancellationToken);
            CrashPoints.Reach(CrashPoints.AfterAlertCommit);
            Log(recorded);
            return recorded;
        }, cancellationToken);
    }

    /// <summary>Evaluates readings that are not in the queue (tests, replays): the same rules, recorded the same way.</summary>
    public Task<IReadOnlyList<AlertEventRecord>> EvaluateReadingsAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newReadings);
        return EvaluateUnqueuedAsync(newReadings.Select(reading => DueItem.ForReading(0, reading)), cancellationToken);
    }

    /// <summary>Evaluates a telecare event that is not in the queue (tests, replays).</summary>
    public Task<IReadOnlyList<AlertEventRecord>> EvaluateEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        return EvaluateUnqueuedAsync([DueItem.ForEvent(0, telecareEvent)], cancellationToken);
    }

    /// <summary>
    /// Staff take an alert on. Returns the alert as stored afterwards (unchanged when it was already
    /// acknowledged), or null when no alert has that id.
    /// </summary>
    public async Task<AlertCase?> AcknowledgeAsync(Guid alertId, string staffUser, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        if (await alerts.GetAsync(alertId, cancellationToken) is not { } found)
        {
            return null;
        }
        return await SerialisedAsync(found.PatientId, async () =>
        {
            // Re-read under the lock: a finding may have updated it since.
            var current = await alerts.GetAsync(alertId, cancellationToken) ?? found;
            var change = AlertCaseLifecycle.Acknowledge(current, staffUser, time.GetUtcNow());
            if (!change.Changed)
            {
                return current;
            }
            var recorded = await alerts.CommitAsync(new AlertCommit(current.PatientId, [change], []), cancellationToken);
            Log(recorded);
            return change.Alert;
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<AlertEventRecord>> EvaluateUnqueuedAsync(IEnumerable<DueItem> items, CancellationToken cancellationToken)
    {
        var recorded = new List<AlertEventRecord>();
        foreach (var patient in items.GroupBy(item => item.PatientId, StringComparer.Ordinal))
        {
            recorded.AddRange(await EvaluateDueAsync(patient.Key, patient.ToList(), cancellationToken));
        }
        return recorded;
    }

    private async Task EvaluateReadingsAsync(string patientId, IReadOnlyList<Reading> batch, WorkingAlerts working, CancellationToken cancellationToken)
    {
        var thresholdSet = await thresholds.GetEffectiveAsync(patientId, cancellationToken);
        var latest = await readings.LatestByKindAsync(patientId, cancellationToken);
        foreach (var reading in batch)
        {
            if (ThresholdRule.Evaluate(reading, thresholdSet) is not { } outcome)
            {
                continue;
            }
            var superseded = latest.TryGetValue(reading.Kind, out var newest) && newest.DeviceTime > reading.DeviceTime;
            if (superseded)
            {
                // A late (back-filled) reading: a newer one of its kind already describes the person now. A normal
                // value must not clear an alert the newer reading raised; a breach is still shown, but as a past
                // event that closes on acknowledgement instead of waiting for a clear that has already happened.
                if (outcome.Finding is not { } lateFinding)
                {
                    continue;
                }
                outcome = RuleOutcome.Raise(lateFinding with { Instantaneous = true });
            }
            await ApplyAsync(working, outcome, cancellationToken);
        }

        var care = (await patients.GetAsync(patientId, cancellationToken))?.ToNews2CareSettings() ?? News2CareSettings.Unknown;
        if (News2Rule.Assess(patientId, latest, care, time.GetUtcNow(), options.Value.News2Window) is { } assessment)
        {
            // Stored (idempotently: same basis, same assessment) before the alert it may raise, so a RiskAssessment
            // exists for every NEWS2 red flag. Observers hear of it even when it was already stored: a crash may
            // have come between the two, and they are idempotent (the FHIR outbox skips content it holds).
            await assessments.AppendAsync(assessment, cancellationToken);
            await NotifyAssessedAsync(assessment, cancellationToken);
            await ApplyAsync(working, News2Rule.ToOutcome(assessment), cancellationToken);
        }
    }

    private async Task NotifyAssessedAsync(News2Assessment assessment, CancellationToken cancellationToken)
    {
        foreach (var observer in _assessmentObservers)
        {
            try
            {
                await observer.News2AssessedAsync(assessment, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogAssessmentObserverFailed(assessment.Id, exception);
            }
        }
    }

    private Task ApplyAsync(WorkingAlerts working, RuleOutcome outcome, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var evaluation = outcome.Finding is { } finding
            ? RuleEvaluation.True(new RuleFinding(finding.ConditionKey, finding.Severity, finding.ConditionKey, finding.Reason, finding.Instantaneous, finding.ObservedAt), NoState)
            : RuleEvaluation.False(NoState);
        var change = AlertCaseLifecycle.OnEvaluation(working.Alerts, working.PatientId, outcome.ConditionKey, evaluation, ResponsePolicy.Default, time.GetUtcNow());
        if (change is not null)
        {
            working.Record(change);
        }
        return Task.CompletedTask;
    }

    private static readonly RuleState NoState = new("{}");

    private void Log(IReadOnlyList<AlertEventRecord> recorded)
    {
        foreach (var recordedEvent in recorded)
        {
            LogAlertEvent(recordedEvent.AlertId, recordedEvent.PatientId, recordedEvent.Type, recordedEvent.Alert.ConditionKey, recordedEvent.Alert.Severity, recordedEvent.Sequence);
        }
    }

    private async Task<T> SerialisedAsync<T>(string patientId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _patientLocks.GetOrAdd(patientId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The patient's alerts as this evaluation has changed them so far (nothing is written until the commit), so two
    /// findings for one condition in one evaluation see each other.
    /// </summary>
    private sealed class WorkingAlerts(string patientId, IReadOnlyList<AlertCase> stored)
    {
        private readonly Dictionary<Guid, AlertCase> _alerts = stored.ToDictionary(alert => alert.Id);

        public string PatientId => patientId;

        public List<AlertChange> Changes { get; } = [];

        /// <summary>The patient's not-resolved alerts as changed so far.</summary>
        public IReadOnlyList<AlertCase> Alerts => _alerts.Values.Where(alert => !alert.IsResolved).ToList();

        public void Record(AlertChange change)
        {
            Changes.Add(change);
            // A resolved alert is history: the next finding for its condition raises a new one.
            _alerts[change.Alert.Id] = change.Alert;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An observer of NEWS2 assessment {AssessmentId} failed; the assessment is stored")]
    private partial void LogAssessmentObserverFailed(string assessmentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} for patient {PatientId}: {EventType} ({ConditionKey}, severity {Severity}), event {Sequence}")]
    private partial void LogAlertEvent(Guid alertId, string patientId, AlertEventType eventType, string conditionKey, AlertSeverity severity, long sequence);
}
