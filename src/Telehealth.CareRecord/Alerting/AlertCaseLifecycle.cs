using System.Globalization;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.Contracts;

namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// The alert state machine, pure. Every operation returns the alert as it now is plus the events to append, so a
/// store writes both in one transaction. Rules decide whether a condition is present (with their own
/// hysteresis); this decides what that means for the alert:
/// <list type="bullet">
/// <item>one not-resolved alert per patient and condition; a repeat updates it;</item>
/// <item>worse after acknowledgement (higher severity, a measure <see cref="AlertCase.ReopenStep"/> further out, or
/// a new instantaneous event) re-opens it, with a new response deadline, so escalation starts again;</item>
/// <item>a condition that clears resolves an acknowledged alert (auto-cleared); an Open or in-follow-up clinical
/// alert stays until staff act, because an unseen red flag must never vanish; self-clearing (missing-data)
/// alerts resolve as soon as the data comes.</item>
/// </list>
/// </summary>
public static class AlertCaseLifecycle
{
    /// <summary>
    /// Apply a rule's answer for <paramref name="conditionKey"/> to the patient's alerts (all not-resolved ones,
    /// so the incident can be found). Null when nothing changes.
    /// </summary>
    public static AlertChange? OnEvaluation(
        IReadOnlyList<AlertCase> patientAlerts,
        string patientId,
        string conditionKey,
        RuleEvaluation evaluation,
        ResponsePolicy policy,
        DateTimeOffset now,
        Func<Guid>? newId = null)
    {
        ArgumentNullException.ThrowIfNull(patientAlerts);
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentException.ThrowIfNullOrEmpty(conditionKey);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(policy);
        var current = OpenFor(patientAlerts, conditionKey);
        if (current is not null && current.PatientId != patientId)
        {
            throw new ArgumentException("The alerts belong to a different patient.", nameof(patientAlerts));
        }
        return evaluation.Verdict switch
        {
            RuleVerdict.True => OnFinding(patientAlerts, current, patientId, evaluation.Finding!, policy, now, newId ?? Guid.NewGuid),
            RuleVerdict.False => current is null ? null : OnCleared(current, now),
            _ => null,
        };
    }

    /// <summary>
    /// The patient's not-resolved alert for the condition, or null; more than one is a broken record and throws. A loop,
    /// not SingleOrDefault with a predicate: every rule of every reading asks, and the lambda and enumerator were a
    /// visible part of an evaluation's allocations.
    /// </summary>
    private static AlertCase? OpenFor(IReadOnlyList<AlertCase> patientAlerts, string conditionKey)
    {
        AlertCase? found = null;
        for (var i = 0; i < patientAlerts.Count; i++)
        {
            var alert = patientAlerts[i];
            if (!alert.IsResolved && alert.ConditionKey == conditionKey)
            {
                if (found is not null)
                {
                    throw new InvalidOperationException($"More than one open alert for condition {conditionKey}.");
                }
                found = alert;
            }
        }
        return found;
    }

    private static AlertChange OnFinding(
        IReadOnlyList<AlertCase> patientAlerts, AlertCase? current, string patientId, RuleFinding finding,
        ResponsePolicy policy, DateTimeOffset now, Func<Guid> newId)
    {
        if (current is null)
        {
            var id = newId();
            var raised = new AlertCase(
                Id: id,
                PatientId: patientId,
                ConditionKey: finding.ConditionKey,
                IncidentId: IncidentPolicy.IncidentFor(patientAlerts, finding.ConditionKey, finding.Device) ?? id,
                Severity: finding.Severity,
                Code: finding.Code,
                Reason: finding.Reason,
                Device: finding.Device,
                Status: AlertCaseStatus.Open,
                ConditionActive: !finding.Instantaneous,
                Instantaneous: finding.Instantaneous,
                SelfClearing: finding.SelfClearing,
                Occurrences: 1,
                RaisedAt: now,
                OpenedAt: now,
                UpdatedAt: now,
                ObservedAt: finding.ObservedAt,
                RespondBy: now + policy.DeadlineFor(finding.Severity, finding.ConditionKey),
                LastMeasure: finding.Measure,
                ReopenStep: finding.ReopenStep);
            return new AlertChange(raised, [Event(raised, AlertEventType.Raised, AlertEvent.System, now, finding.Reason)]);
        }

        var updated = current with
        {
            Severity = finding.Severity,
            Code = finding.Code,
            Reason = finding.Reason,
            Device = finding.Device ?? current.Device,
            ConditionActive = !finding.Instantaneous || current.ConditionActive,
            ClearedAt = finding.Instantaneous ? current.ClearedAt : null,
            Occurrences = current.Occurrences + 1,
            UpdatedAt = now,
            ObservedAt = finding.ObservedAt,
            LastMeasure = finding.Measure,
            ReopenStep = finding.ReopenStep ?? current.ReopenStep,
        };

        if (current.Status is AlertCaseStatus.Acknowledged or AlertCaseStatus.InFollowUp && Worse(current, finding))
        {
            var reopened = updated with
            {
                Status = AlertCaseStatus.Open,
                OpenedAt = now,
                RespondBy = now + policy.DeadlineFor(finding.Severity, finding.ConditionKey),
                AcknowledgedAt = null,
                AcknowledgedBy = null,
                AcknowledgedSeverity = null,
                AcknowledgedMeasure = null,
                FollowUpStartedAt = null,
                FollowUpBy = null,
            };
            return new AlertChange(reopened, [Event(reopened, AlertEventType.Reopened, AlertEvent.System, now, "Worse since acknowledged: " + finding.Reason)]);
        }

        if (current.Status == AlertCaseStatus.Open && finding.Severity > current.Severity)
        {
            // More urgent while nobody has it yet: the deadline can only come sooner.
            var sooner = current.OpenedAt + policy.DeadlineFor(finding.Severity, finding.ConditionKey);
            updated = updated with { RespondBy = sooner < current.RespondBy ? sooner : current.RespondBy };
        }
        // Only a change of severity, a condition back after clearing, or a new event is news for the log; a
        // repeat (or a value moving between "below low" and "clearing") is counted in the alert, so a value
        // hovering at an edge does not flood the log or the dashboard.
        var noteworthy = finding.Severity != current.Severity || finding.Instantaneous
            || (!current.ConditionActive && !finding.Instantaneous);
        return noteworthy
            ? new AlertChange(updated, [Event(updated, AlertEventType.Updated, AlertEvent.System, now, finding.Reason)])
            : new AlertChange(updated, []);
    }

    private static bool Worse(AlertCase acknowledged, RuleFinding finding)
    {
        if (finding.Instantaneous || finding.Severity > (acknowledged.AcknowledgedSeverity ?? acknowledged.Severity))
        {
            return true;
        }
        var step = finding.ReopenStep ?? acknowledged.ReopenStep;
        return finding.Measure is { } measure && acknowledged.AcknowledgedMeasure is { } seen && step is { } s && measure >= seen + s;
    }

    private static AlertChange? OnCleared(AlertCase current, DateTimeOffset now)
    {
        if (!current.ConditionActive)
        {
            return null;
        }
        var cleared = current with { ConditionActive = false, ClearedAt = now, UpdatedAt = now };
        if (current.SelfClearing || current.Status == AlertCaseStatus.Acknowledged)
        {
            var resolved = cleared with
            {
                Status = AlertCaseStatus.Resolved,
                ResolvedAt = now,
                ResolvedBy = AlertEvent.System,
                Outcome = AlertOutcome.AutoCleared,
            };
            return new AlertChange(resolved, [Event(resolved, AlertEventType.AutoCleared, AlertEvent.System, now, "Condition no longer present")]);
        }
        var reason = current.Status == AlertCaseStatus.Open
            ? "Condition no longer present; stays open until acknowledged"
            : "Condition no longer present; stays in follow-up until resolved";
        return new AlertChange(cleared, [Event(cleared, AlertEventType.Updated, AlertEvent.System, now, reason)]);
    }

    /// <summary>
    /// A member of staff takes the alert on. Already acknowledged or in follow-up: nothing changes. A state whose
    /// condition cleared before anyone acknowledged it is resolved (auto-cleared) by the acknowledgement.
    /// </summary>
    public static AlertChange Acknowledge(AlertCase alert, string staffId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        return alert.Status switch
        {
            AlertCaseStatus.Resolved => AlertChange.Refuse(alert, AlertRefusals.AlertResolved),
            AlertCaseStatus.Open => AcknowledgedOrDone(alert, staffId, now),
            _ => AlertChange.None(alert),
        };
    }

    private static AlertChange Acknowledged(AlertCase alert, string staffId, DateTimeOffset now)
    {
        var acknowledged = alert with
        {
            Status = AlertCaseStatus.Acknowledged,
            AcknowledgedAt = now,
            AcknowledgedBy = staffId,
            AcknowledgedSeverity = alert.Severity,
            AcknowledgedMeasure = alert.LastMeasure,
            UpdatedAt = now,
        };
        return new AlertChange(acknowledged, [Event(acknowledged, AlertEventType.Acknowledged, staffId, now, "Acknowledged")]);
    }

    private static AlertChange AcknowledgedOrDone(AlertCase alert, string staffId, DateTimeOffset now)
    {
        var change = Acknowledged(alert, staffId, now);
        var acknowledged = change.Alert;
        var events = change.Events.ToList();
        if (!alert.Instantaneous && !alert.ConditionActive)
        {
            // The condition cleared while nobody had it: now that someone has seen it, nothing is left to watch
            // (the same end as a condition that clears after acknowledgement). An instantaneous event stays
            // acknowledged until staff resolve it with an outcome.
            var resolved = acknowledged with
            {
                Status = AlertCaseStatus.Resolved,
                ResolvedAt = now,
                ResolvedBy = AlertEvent.System,
                Outcome = AlertOutcome.AutoCleared,
            };
            events.Add(Event(resolved, AlertEventType.AutoCleared, AlertEvent.System, now, "Acknowledged after the condition cleared"));
            return new AlertChange(resolved, events);
        }
        return new AlertChange(acknowledged, events);
    }

    /// <summary>Someone starts acting on it; from Open this acknowledges it too (both are recorded).</summary>
    public static AlertChange StartFollowUp(AlertCase alert, string staffId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        switch (alert.Status)
        {
            case AlertCaseStatus.Resolved:
                return AlertChange.Refuse(alert, AlertRefusals.AlertResolved);
            case AlertCaseStatus.InFollowUp:
                return AlertChange.None(alert);
        }
        var events = new List<AlertEvent>();
        if (alert.Status == AlertCaseStatus.Open)
        {
            var acknowledged = Acknowledged(alert, staffId, now);
            alert = acknowledged.Alert;
            events.AddRange(acknowledged.Events);
        }
        var following = alert with { Status = AlertCaseStatus.InFollowUp, FollowUpStartedAt = now, FollowUpBy = staffId, UpdatedAt = now };
        events.Add(Event(following, AlertEventType.FollowUpStarted, staffId, now, "Follow-up started"));
        return new AlertChange(following, events);
    }

    /// <summary>Staff close it with an outcome. From Open this records the acknowledgement too.</summary>
    public static AlertChange Resolve(AlertCase alert, string staffId, AlertOutcome outcome, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        if (alert.IsResolved)
        {
            return AlertChange.Refuse(alert, AlertRefusals.AlertResolved);
        }
        if (outcome == AlertOutcome.AutoCleared)
        {
            return AlertChange.Refuse(alert, AlertRefusals.OutcomeReserved);
        }
        var events = new List<AlertEvent>();
        if (alert.Status == AlertCaseStatus.Open)
        {
            var acknowledged = Acknowledged(alert, staffId, now);
            alert = acknowledged.Alert;
            events.AddRange(acknowledged.Events);
        }
        var resolved = alert with
        {
            Status = AlertCaseStatus.Resolved,
            ResolvedAt = now,
            ResolvedBy = staffId,
            Outcome = outcome,
            UpdatedAt = now,
        };
        var reason = WireNames.Of(outcome) + (string.IsNullOrWhiteSpace(note) ? string.Empty : ": " + note.Trim());
        events.Add(Event(resolved, AlertEventType.Resolved, staffId, now, reason));
        return new AlertChange(resolved, events);
    }

    /// <summary>Give the alert to a named member of staff (it stays in its status).</summary>
    public static AlertChange Assign(AlertCase alert, string staffId, string assignee, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        ArgumentException.ThrowIfNullOrWhiteSpace(assignee);
        if (alert.IsResolved)
        {
            return AlertChange.Refuse(alert, AlertRefusals.AlertResolved);
        }
        if (alert.AssignedTo == assignee)
        {
            return AlertChange.None(alert);
        }
        var assigned = alert with { AssignedTo = assignee, UpdatedAt = now };
        return new AlertChange(assigned, [Event(assigned, AlertEventType.Assigned, staffId, now, "Assigned", subject: assignee)]);
    }

    /// <summary>
    /// One person stops being notified about this alert until <paramref name="until"/>. It is theirs alone: the
    /// alert stays Open and escalation goes on to everyone else (<see cref="AlertEscalator"/>). Recorded in the log,
    /// so colleagues see it, and undone with <see cref="Unsnooze"/>.
    /// </summary>
    public static AlertChange Snooze(AlertCase alert, string staffId, DateTimeOffset until, ResponsePolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        ArgumentNullException.ThrowIfNull(policy);
        if (alert.IsResolved)
        {
            return AlertChange.Refuse(alert, AlertRefusals.AlertResolved);
        }
        if (until <= now)
        {
            return AlertChange.Refuse(alert, AlertRefusals.SnoozeNotInFuture);
        }
        if (until - now > policy.MaxSnooze)
        {
            return AlertChange.Refuse(alert, AlertRefusals.SnoozeTooLong);
        }
        var reason = string.Create(CultureInfo.InvariantCulture, $"Snoozed for {staffId} until {until:yyyy-MM-dd HH:mm} UTC");
        return new AlertChange(alert, [Event(alert, AlertEventType.Snoozed, staffId, now, reason, subject: staffId, until: until)]);
    }

    /// <summary>End <paramref name="whose"/> snooze (their own, or a colleague's) now.</summary>
    public static AlertChange Unsnooze(AlertCase alert, IReadOnlyList<AlertEvent> events, string staffId, string whose, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        ArgumentException.ThrowIfNullOrWhiteSpace(whose);
        if (!AlertSnoozes.Active(alert, events, now).ContainsKey(whose))
        {
            return AlertChange.Refuse(alert, AlertRefusals.NotSnoozed);
        }
        return new AlertChange(alert, [Event(alert, AlertEventType.Unsnoozed, staffId, now, $"Snooze of {whose} ended", subject: whose)]);
    }

    /// <summary>The escalator decided to put the alert in front of <paramref name="step"/>'s target.</summary>
    public static AlertChange RecordEscalation(AlertCase alert, EscalationStep step, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(step);
        return new AlertChange(alert, [Event(alert, AlertEventType.Escalated, AlertEvent.System, now, step.Reason, subject: step.Target)]);
    }

    /// <summary>A notification channel reports a delivery: <paramref name="reason"/> is channel and outcome, never the message.</summary>
    public static AlertChange RecordNotification(AlertCase alert, string target, bool delivered, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var type = delivered ? AlertEventType.NotificationSent : AlertEventType.NotificationFailed;
        return new AlertChange(alert, [Event(alert, type, AlertEvent.System, now, reason, subject: target)]);
    }

    private static AlertEvent Event(AlertCase alert, AlertEventType type, string actor, DateTimeOffset at, string reason,
        string? subject = null, DateTimeOffset? until = null) =>
        new(null, alert.Id, alert.PatientId, type, actor, at, reason, subject, until, alert.Severity);
}
