namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// One stored entry of the append-only alert event log: the care-record core's <see cref="AlertEvent"/> (what
/// happened, who, when, why) with its sequence, and the alert as it was right after. Staff views, SignalR, FHIR,
/// escalation and notifications all follow this log instead of being called inline.
/// </summary>
/// <param name="Sequence">The log's order, gap-free per store; followers keep the last one they handled.</param>
/// <param name="Event">The event as the lifecycle wrote it; its <see cref="AlertEvent.Sequence"/> equals <paramref name="Sequence"/>.</param>
/// <param name="Alert">The alert's state after the change this event belongs to.</param>
public sealed record AlertEventRecord(long Sequence, AlertEvent Event, AlertCase Alert)
{
    public Guid AlertId => Event.AlertId;

    public string PatientId => Event.PatientId;

    public AlertEventType Type => Event.Type;

    /// <summary>The member of staff, or <see cref="AlertEvent.System"/> for the rules and timers.</summary>
    public string Actor => Event.Actor;

    public DateTimeOffset At => Event.At;
}
