using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Outbox;

/// <summary>
/// The outcome of one delivery pass, for the alert event log (<c>notification_sent</c> / <c>notification_failed</c>).
/// </summary>
/// <param name="Pass">Which pass of this entry (1 = first).</param>
/// <param name="Final">No more passes follow: sent, rejected, or given up.</param>
/// <param name="RetryAt">When the next pass is due, when not final.</param>
public sealed record NotificationDelivery(
    long Seq,
    Notification Notification,
    string Channel,
    string Address,
    NotificationOutcome Outcome,
    bool Final,
    int Pass,
    int Attempts,
    int? StatusCode,
    string? Error,
    DateTimeOffset At,
    DateTimeOffset? RetryAt)
{
    /// <summary>Value-free text for the event log: channel, address, outcome, pass and attempts, the receiver's code.</summary>
    public string Describe()
    {
        var code = StatusCode is { } c ? $" ({Channel} {c})" : "";
        var what = Outcome switch
        {
            NotificationOutcome.Delivered => "delivered",
            NotificationOutcome.Rejected => "rejected",
            _ when Final => "not delivered, given up",
            _ => $"not delivered yet, retry at {RetryAt:HH:mm:ss} UTC",
        };
        var reason = Outcome == NotificationOutcome.Delivered || Error is null ? "" : $": {FirstLine(Error)}";
        return $"{Channel} to {Address}: {what}{code}, pass {Pass}, {Attempts} attempt(s){reason}";
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
