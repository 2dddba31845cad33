namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// One entry of the append-only alert event log: who did what to which alert, when and why. The store assigns
/// <see cref="Sequence"/> (null until stored); subscribers (dashboard, FHIR, worklist, notification channels)
/// follow the log by sequence. <see cref="Reason"/> is staff text and may contain values: log the type and ids,
/// never the reason.
/// </summary>
/// <param name="Actor">A staff id, or <see cref="System"/>.</param>
/// <param name="Subject">Whom the event is about when that is not the actor: assigned to, escalated to, notified, whose snooze.</param>
/// <param name="Until">End of a snooze.</param>
/// <param name="Severity">The alert's severity after the event.</param>
public sealed record AlertEvent(
    long? Sequence,
    Guid AlertId,
    string PatientId,
    AlertEventType Type,
    string Actor,
    DateTimeOffset At,
    string Reason,
    string? Subject = null,
    DateTimeOffset? Until = null,
    AlertSeverity? Severity = null)
{
    public const string System = "system";
}
