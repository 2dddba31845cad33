namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// What a lifecycle operation decided: the alert as it now is and the events to append, to be written in one
/// transaction. No events means nothing changed. <see cref="Refused"/> is a reason code when the operation is
/// not allowed in the alert's state (e.g. <c>alert_resolved</c>); the alert is then returned unchanged.
/// </summary>
public sealed record AlertChange(AlertCase Alert, IReadOnlyList<AlertEvent> Events, string? Refused = null)
{
    public bool Changed => Events.Count > 0;

    public static AlertChange None(AlertCase alert) => new(alert, []);

    public static AlertChange Refuse(AlertCase alert, string code) => new(alert, [], code);
}
