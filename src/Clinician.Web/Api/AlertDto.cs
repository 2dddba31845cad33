using Telehealth.CareRecord.Caseload;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// An alert as staff and integrations see it, in the REST API and in the hub's alertRaised/alertUpdated. Pushed and
/// event-log entries also say which event produced this state (its sequence in the alert event log, its type as a
/// wire name such as <c>acknowledged</c> or <c>auto_cleared</c>, who, and why).
/// </summary>
/// <param name="Status">open, acknowledged, in_follow_up or resolved.</param>
/// <param name="ObservedAt">When the data behind the latest finding was measured, or the deadline that passed (missing data).</param>
/// <param name="RespondBy">When someone must have acknowledged it; escalation starts after this.</param>
/// <param name="Outcome">How it was resolved (action_taken, no_action_needed, referred_to_partner, false_alarm, auto_cleared).</param>
public sealed record AlertDto(
    Guid Id,
    string PatientId,
    string? PatientName,
    string? PatientNhsNumber,
    DateOnly? PatientDateOfBirth,
    string Condition,
    string Severity,
    string Reason,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    string Status,
    bool ConditionActive,
    int Occurrences,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ClearedAt,
    Guid IncidentId,
    string Code,
    string? DeviceId,
    DateTimeOffset OpenedAt,
    DateTimeOffset ObservedAt,
    DateTimeOffset RespondBy,
    string? AssignedTo,
    DateTimeOffset? FollowUpStartedAt,
    string? FollowUpBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? Outcome,
    long? EventSequence = null,
    string? EventType = null,
    string? EventActor = null,
    string? EventReason = null,
    string? EventSubject = null,
    DateTimeOffset? EventUntil = null,
    int CallAttempts = 0)
{
    /// <param name="patient">The alert's person (name, NHS number and date of birth go with every name shown), or null when not visible.</param>
    public static AlertDto From(AlertCase alert, PatientRecord? patient)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(
            alert.Id,
            alert.PatientId,
            patient?.DisplayName,
            patient?.NhsNumber,
            patient?.DateOfBirth,
            alert.ConditionKey,
            alert.Severity.ToString().ToLowerInvariant(),
            alert.Reason,
            alert.RaisedAt,
            alert.UpdatedAt,
            WireNames.Of(alert.Status),
            alert.ConditionActive,
            alert.Occurrences,
            alert.AcknowledgedAt,
            alert.AcknowledgedBy,
            alert.ClearedAt,
            alert.IncidentId,
            alert.Code,
            alert.Device?.DeviceId,
            alert.OpenedAt,
            alert.ObservedAt,
            alert.RespondBy,
            alert.AssignedTo,
            alert.FollowUpStartedAt,
            alert.FollowUpBy,
            alert.ResolvedAt,
            alert.ResolvedBy,
            alert.Outcome is { } outcome ? WireNames.Of(outcome) : null,
            CallAttempts: alert.Calls?.Count ?? 0);
    }

    public static AlertDto From(AlertEventRecord alertEvent, PatientRecord? patient)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        return From(alertEvent.Alert, patient) with
        {
            EventSequence = alertEvent.Sequence,
            EventType = WireNames.Of(alertEvent.Type),
            EventActor = alertEvent.Actor,
            EventReason = alertEvent.Event.Reason,
            EventSubject = alertEvent.Event.Subject,
            EventUntil = alertEvent.Event.Until,
        };
    }
}
