using Telehealth.CareRecord;

namespace Telehealth.Notifications.Channels;

/// <summary>
/// One message about one alert for one recipient, as it is kept in the outbox. It holds ids, severity, condition,
/// deadlines and a link, and deliberately no reading values and no names: what leaves the platform by email or
/// webhook is the minimum needed to act (see docs/architecture.md, "Escalation and notifications"); the values are
/// one authenticated click away on the dashboard.
/// </summary>
/// <param name="Key">Idempotency key: the same key is queued once, so a replayed escalation never sends twice.</param>
/// <param name="PatientRef">The platform's patient id (never the NHS number, never the name).</param>
/// <param name="Condition">The alert's condition key, e.g. <c>news2</c>, <c>vital:spo2</c>, <c>event:fall</c>.</param>
/// <param name="Code">The latest finding's value-free reason code.</param>
/// <param name="Recipient">Staff username or partner id.</param>
/// <param name="RecipientKind"><c>staff</c>, <c>team_lead</c> or <c>partner</c>.</param>
/// <param name="Step">Escalation step (0 = first notification at raising).</param>
/// <param name="Reason">Why this person is told now (the escalator's words, which never carry values).</param>
/// <param name="AlertUrl">The alert on the staff dashboard (sign-in required), when a public base address is configured.</param>
public sealed record Notification(
    string Key,
    Guid AlertId,
    Guid? IncidentId,
    string PatientRef,
    string TeamId,
    AlertSeverity Severity,
    string Condition,
    string Code,
    string Recipient,
    string RecipientKind,
    int Step,
    string Reason,
    DateTimeOffset RaisedAt,
    DateTimeOffset RespondBy,
    Uri? AlertUrl,
    DateTimeOffset CreatedAt)
{
    /// <summary>Stable id the receiver can use to drop a repeat (deliveries are at least once).</summary>
    public Guid Id => NotificationIds.FromKey(Key);
}
