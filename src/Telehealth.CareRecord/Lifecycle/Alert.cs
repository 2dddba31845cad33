namespace Telehealth.CareRecord.Lifecycle;

/// <summary>
/// A red flag for one patient and one condition. It stays visible until it is both acknowledged and no
/// longer active: an unacknowledged alert never disappears on its own, even when the condition clears.
/// </summary>
/// <param name="ConditionKey">What the alert is about: <c>threshold:{vital}</c>, <c>news2</c> or <c>event:{event}</c> (see <see cref="Rules.ConditionKeys"/>).</param>
/// <param name="Reason">Human text for the latest finding, e.g. "SpO2 89 % below personal critical low 91 %".</param>
/// <param name="UpdatedAt">When anything about the alert last changed.</param>
/// <param name="ConditionActive">True while the condition is still present; instantaneous events (a pendant press) are never active.</param>
/// <param name="Occurrences">How many findings this alert has absorbed, counting the one that raised it.</param>
/// <param name="AcknowledgedSeverity">The severity staff acknowledged; a later finding above it reopens the alert.</param>
public sealed record Alert(
    Guid Id,
    string PatientId,
    string ConditionKey,
    AlertSeverity Severity,
    string Reason,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    AlertStatus Status,
    bool ConditionActive,
    int Occurrences,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ClearedAt,
    AlertSeverity? AcknowledgedSeverity = null)
{
    /// <summary>Closed alerts are history: acknowledged and the condition gone. A new finding raises a new alert.</summary>
    public bool IsClosed => Status == AlertStatus.Acknowledged && !ConditionActive;
}
