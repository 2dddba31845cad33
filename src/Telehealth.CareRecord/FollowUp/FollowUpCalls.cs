using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts;

namespace Telehealth.CareRecord.FollowUp;

/// <summary>
/// Calls about an alert, pure. A call is a staff action on the alert: from Open or Acknowledged it starts the follow-up
/// (recording the acknowledgement too), then appends a <see cref="AlertEventType.CallAttempted"/> event and the
/// <see cref="CallAttempt"/> to the alert. An unreached attempt (no answer, busy, wrong number) schedules the next
/// call <see cref="CallPolicy.RetryAfter"/> later; the <see cref="CallPolicy.MaxUnreachedAttempts"/>th unreached
/// attempt in a row instead re-opens the alert (Open, a new response deadline, acknowledgement cleared), so the
/// escalation worker takes it up the duty rota again: a person nobody can reach needs someone to go, not another call.
/// </summary>
public static class FollowUpCalls
{
    public const int MaxNotesLength = 2_000;

    /// <summary>Alerts that need a call back: red flags (high and critical), telecare events, NEWS2, and missing data.</summary>
    public static bool NeedsCall(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return !alert.IsResolved && IsCallKind(alert);
    }

    /// <summary>An alert of a kind that calls for a call back while it is open (service figures time the first call of these).</summary>
    public static bool IsCallKind(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Severity >= AlertSeverity.High
            || alert.ConditionKey.StartsWith("event:", StringComparison.Ordinal)
            || alert.ConditionKey == ConditionKeys.News2
            || IsMissingData(alert.ConditionKey);
    }

    public static bool IsMissingData(string conditionKey)
    {
        ArgumentNullException.ThrowIfNull(conditionKey);
        return conditionKey.StartsWith("silence:", StringComparison.Ordinal)
            || conditionKey.StartsWith("battery:", StringComparison.Ordinal)
            || conditionKey.StartsWith("schedule:", StringComparison.Ordinal)
            || conditionKey.StartsWith("inactivity:", StringComparison.Ordinal);
    }

    /// <summary>When the first call is due: raised time plus the target for its severity.</summary>
    public static DateTimeOffset FirstCallDue(AlertCase alert, CallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(policy);
        return alert.RaisedAt + policy.FirstCallTarget(alert.Severity);
    }

    /// <summary>When the next call is due: the first-call target before any call; the retry time after an unreached one; now again after an escalation; none once reached.</summary>
    public static DateTimeOffset? NextCallDue(AlertCase alert, CallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.IsResolved)
        {
            return null;
        }
        return alert.Calls is not { Count: > 0 } calls ? FirstCallDue(alert, policy)
            : calls[^1] switch
            {
                { Outcome: CallOutcome.Reached } => null,
                { Escalated: true } last => last.At,
                var last => last.RetryAt,
            };
    }

    /// <summary>Unreached attempts since the person was last reached.</summary>
    public static int UnreachedInARow(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var count = 0;
        for (var i = (alert.Calls?.Count ?? 0) - 1; i >= 0 && alert.Calls![i].Outcome != CallOutcome.Reached; i--)
        {
            count++;
        }
        return count;
    }

    public static AlertChange Record(
        AlertCase alert, string staffId, CallOutcome outcome, IReadOnlyList<CallAction> actions, string? notes,
        CallPolicy calls, ResponsePolicy response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(response);
        if (alert.IsResolved)
        {
            return AlertChange.Refuse(alert, AlertRefusals.AlertResolved);
        }
        var started = AlertCaseLifecycle.StartFollowUp(alert, staffId, now);
        var current = started.Alert;
        var events = started.Events.ToList();

        var unreached = outcome != CallOutcome.Reached;
        var escalate = unreached && UnreachedInARow(current) + 1 >= calls.MaxUnreachedAttempts;
        var attempt = new CallAttempt(
            (current.Calls?.Count ?? 0) + 1, now, staffId, outcome, [.. actions.Distinct()], string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
            unreached && !escalate ? now + calls.RetryAfter : null, escalate);
        current = current with { Calls = [.. current.Calls ?? [], attempt], UpdatedAt = now };
        // Value-free: the outcome and actions are codes; the notes stay in the alert only.
        var summary = WireNames.Of(outcome) + (attempt.Actions.Count > 0 ? ": " + string.Join(", ", attempt.Actions.Select(CallActions.Of)) : "");
        events.Add(new AlertEvent(null, current.Id, current.PatientId, AlertEventType.CallAttempted, staffId, now,
            $"Call {attempt.Number}: {summary}", WireNames.Of(outcome), attempt.RetryAt, current.Severity));
        if (escalate)
        {
            current = current with
            {
                Status = AlertCaseStatus.Open,
                OpenedAt = now,
                RespondBy = now + response.DeadlineFor(current.Severity, current.ConditionKey),
                AcknowledgedAt = null,
                AcknowledgedBy = null,
                AcknowledgedSeverity = null,
                AcknowledgedMeasure = null,
                AssignedTo = null,
                FollowUpStartedAt = null,
                FollowUpBy = null,
            };
            events.Add(new AlertEvent(null, current.Id, current.PatientId, AlertEventType.Reopened, AlertEvent.System, now,
                $"Not reached after {calls.MaxUnreachedAttempts} call attempts", Severity: current.Severity));
        }
        return new AlertChange(current, events);
    }
}
