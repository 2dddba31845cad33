using Telehealth.Alerts.Domain.Lifecycle;

namespace Telehealth.Clinician.Web.Api;

/// <summary>An alert as staff and integrations see it, in the REST API and in the hub's alertRaised/alertUpdated.</summary>
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
    DateTimeOffset? ClearedAt)
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
}
