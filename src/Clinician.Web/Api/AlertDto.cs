using Telehealth.Alerts.Recording;
using Telehealth.Contracts;
using Telehealth.Alerts.Domain.Lifecycle;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// An alert as staff and integrations see it, in the REST API and in the hub's alertRaised/alertUpdated. Pushed and
/// event-log entries also say which event produced this state (its sequence in the alert event log, its type, who).
/// </summary>
public sealed record AlertDto(
    Guid Id,
    string PatientId,
    string? PatientName,
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
    long? EventSequence = null,
    string? EventType = null,
    string? EventActor = null)
{
    public static AlertDto From(Alert alert, string? patientName) => new(
        alert.Id,
        alert.PatientId,
        patientName,
        alert.ConditionKey,
        alert.Severity.ToString().ToLowerInvariant(),
        alert.Reason,
        alert.RaisedAt,
        alert.UpdatedAt,
        alert.Status.ToString().ToLowerInvariant(),
        alert.ConditionActive,
        alert.Occurrences,
        alert.AcknowledgedAt,
        alert.AcknowledgedBy,
        alert.ClearedAt);

    public static AlertDto From(AlertEventRecord alertEvent, string? patientName) =>
        From(alertEvent.Alert, patientName) with
        {
            EventSequence = alertEvent.Sequence,
            EventType = WireNames.Of(alertEvent.Type),
            EventActor = alertEvent.Actor,
        };
}
