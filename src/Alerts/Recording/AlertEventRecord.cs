using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Alerts.Recording;

/// <summary>
/// One entry of the append-only alert event log: what happened to an alert, who did it, when, and the alert as it was
/// right after. Staff views, SignalR, FHIR and the follow-up work all follow this log instead of being called inline.
/// </summary>
/// <param name="Sequence">The log's order, gap-free per store; followers keep the last one they handled.</param>
/// <param name="Actor">The member of staff, or <see cref="AlertChange.SystemActor"/> for the rules.</param>
/// <param name="Alert">The alert's state after this event.</param>
public sealed record AlertEventRecord(
    long Sequence,
    Guid AlertId,
    string PatientId,
    AlertEventType Type,
    string Actor,
    DateTimeOffset At,
    Alert Alert);
