namespace Telehealth.CareRecord.Alerting;

/// <summary>Who has snoozed an alert, read from its event log (so a restart and every colleague see the same).</summary>
public static class AlertSnoozes
{
    /// <summary>
    /// Snoozes in force at <paramref name="now"/>, by staff id, with their end. Only snoozes since the alert was
    /// last opened count: a re-opened alert is fresh news for everyone.
    /// </summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> Active(AlertCase alert, IReadOnlyList<AlertEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(events);
        var active = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.AlertId == alert.Id && e.At >= alert.OpenedAt && e.At <= now).OrderBy(e => e.Sequence ?? long.MaxValue).ThenBy(e => e.At))
        {
            if (e.Type == AlertEventType.Snoozed && e.Subject is { } who && e.Until is { } until)
            {
                active[who] = until;
            }
            else if (e.Type == AlertEventType.Unsnoozed && e.Subject is { } whose)
            {
                active.Remove(whose);
            }
        }
        foreach (var expired in active.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToArray())
        {
            active.Remove(expired);
        }
        return active;
    }
}
