using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Caseload;
using Telehealth.CareRecord.Lifecycle;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Rules;
using Telehealth.Alerts.Storage;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// Turns newly stored data into alerts: thresholds per reading, then NEWS2 over the latest readings, and a red
/// flag per telecare event. Decisions for one patient are serialised, so two concurrent batches cannot both see
/// "no alert yet" and raise duplicates. Every change is stored first and pushed to staff after.
/// </summary>
public sealed partial class AlertEngine(
    IAlertStore alerts,
    IReadingStore readings,
    IThresholdRepository thresholds,
    IPatientRepository patients,
    INews2AssessmentStore assessments,
    IEnumerable<IAlertNotifier> notifiers,
    IEnumerable<INews2AssessmentObserver> assessmentObservers,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertEngine> logger) : IStoredDataObserver
{
    private readonly IAlertNotifier[] _notifiers = notifiers.ToArray();
    private readonly INews2AssessmentObserver[] _assessmentObservers = assessmentObservers.ToArray();

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _patientLocks = new(StringComparer.Ordinal);

    public async Task OnReadingsStoredAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newReadings);
        List<Exception>? failures = null;
        foreach (var batch in newReadings.GroupBy(reading => reading.PatientId, StringComparer.Ordinal))
        {
            // One patient's failure must not cost the other patients in the batch their alerts.
            try
            {
                var ordered = batch.OrderBy(reading => reading.DeviceTime).ToArray();
                var (changes, assessment) = await SerialisedAsync(batch.Key, () => EvaluateReadingsAsync(batch.Key, ordered, cancellationToken), cancellationToken);
                if (assessment is not null)
                {
                    await NotifyAssessedAsync(assessment, cancellationToken);
                }
                await NotifyAsync(changes, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogEvaluationFailed(batch.Key, exception);
                (failures ??= []).Add(exception);
            }
        }
        if (failures is not null)
        {
            throw new AggregateException("Alert evaluation failed for some patients; see inner exceptions.", failures);
        }
    }

    public async Task OnEventStoredAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        var outcome = RuleOutcome.Raise(TelecareEventRule.Evaluate(telecareEvent));
        var changes = await SerialisedAsync(telecareEvent.PatientId, async () =>
        {
            var decisions = new List<AlertDecision>(1);
            await ApplyAsync(telecareEvent.PatientId, outcome, decisions, cancellationToken);
            return decisions;
        }, cancellationToken);
        await NotifyAsync(changes, cancellationToken);
    }

    /// <summary>Device heartbeats do not raise alerts yet (missed check-ins are a later rule).</summary>
    public Task OnStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Staff take an alert on. Returns the alert as stored afterwards (unchanged when it was already
    /// acknowledged), or null when no alert has that id.
    /// </summary>
    public async Task<Alert?> AcknowledgeAsync(Guid alertId, string staffUser, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        if (await alerts.GetAsync(alertId, cancellationToken) is not { } found)
        {
            return null;
        }
        Alert? result = null;
        var changes = await SerialisedAsync(found.PatientId, async () =>
        {
            // Re-read under the lock: a finding may have updated it since.
            var current = await alerts.GetAsync(alertId, cancellationToken) ?? found;
            var decision = AlertLifecycle.OnAcknowledged(current, staffUser, time.GetUtcNow());
            result = decision?.Alert ?? current;
            if (decision is null)
            {
                return [];
            }
            await alerts.UpdateAsync(decision.Alert, cancellationToken);
            LogAlertAcknowledged(decision.Alert.Id, decision.Alert.PatientId);
            return new List<AlertDecision> { decision };
        }, cancellationToken);
        await NotifyAsync(changes, cancellationToken);
        return result;
    }

    /// <returns>The alert decisions, and the NEWS2 assessment when it is a new one (same basis → same assessment).</returns>
    private async Task<(List<AlertDecision> Decisions, News2Assessment? NewAssessment)> EvaluateReadingsAsync(
        string patientId, IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        var decisions = new List<AlertDecision>();
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
            await ApplyAsync(patientId, outcome, decisions, cancellationToken);
        }

        var care = (await patients.GetAsync(patientId, cancellationToken))?.ToNews2CareSettings() ?? News2CareSettings.Unknown;
        News2Assessment? newAssessment = null;
        if (News2Rule.Assess(patientId, latest, care, time.GetUtcNow(), options.Value.News2Window) is { } assessment)
        {
            // Stored before the alert it may raise, so a RiskAssessment exists for every NEWS2 red flag.
            if (await assessments.AppendAsync(assessment, cancellationToken))
            {
                newAssessment = assessment;
            }
            await ApplyAsync(patientId, News2Rule.ToOutcome(assessment), decisions, cancellationToken);
        }
        return (decisions, newAssessment);
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

    private async Task ApplyAsync(string patientId, RuleOutcome outcome, List<AlertDecision> decisions, CancellationToken cancellationToken)
    {
        var current = await alerts.GetActiveAsync(patientId, outcome.ConditionKey, cancellationToken);
        var now = time.GetUtcNow();
        var decision = outcome.Finding is { } finding
            ? AlertLifecycle.OnFinding(current, patientId, finding, now)
            : AlertLifecycle.OnCleared(current, now);
        if (decision is null)
        {
            return;
        }
        if (decision.Kind == AlertDecisionKind.Raised)
        {
            await alerts.InsertAsync(decision.Alert, cancellationToken);
            LogAlertRaised(decision.Alert.Id, patientId, decision.Alert.ConditionKey, decision.Alert.Severity);
        }
        else
        {
            await alerts.UpdateAsync(decision.Alert, cancellationToken);
        }
        decisions.Add(decision);
    }

    private async Task NotifyAsync(IReadOnlyList<AlertDecision> decisions, CancellationToken cancellationToken)
    {
        foreach (var decision in decisions)
        {
            // The alert is already stored: a failed push is logged, not undone; the dashboard catches up on reload.
            foreach (var notifier in _notifiers)
            {
                try
                {
                    if (decision.Kind == AlertDecisionKind.Raised)
                    {
                        await notifier.AlertRaisedAsync(decision.Alert, cancellationToken);
                    }
                    else
                    {
                        await notifier.AlertUpdatedAsync(decision.Alert, cancellationToken);
                    }
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    LogNotifyFailed(decision.Alert.Id, exception);
                }
            }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "An observer of NEWS2 assessment {AssessmentId} failed; the assessment is stored")]
    private partial void LogAssessmentObserverFailed(string assessmentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} raised for patient {PatientId}: {ConditionKey} at severity {Severity}")]
    private partial void LogAlertRaised(Guid alertId, string patientId, string conditionKey, CareRecord.AlertSeverity severity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} for patient {PatientId} acknowledged")]
    private partial void LogAlertAcknowledged(Guid alertId, string patientId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} is stored but could not be pushed to staff")]
    private partial void LogNotifyFailed(Guid alertId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert evaluation failed for patient {PatientId}")]
    private partial void LogEvaluationFailed(string patientId, Exception exception);
}
