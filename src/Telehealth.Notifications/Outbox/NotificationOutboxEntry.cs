using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Outbox;

/// <summary>One queued delivery and what has happened to it so far.</summary>
/// <param name="Passes">Delivery passes made (each may have made several attempts).</param>
/// <param name="Attempts">Connections or requests made over all passes.</param>
/// <param name="RecordedPasses">Passes whose outcome is in the alert event log (behind <see cref="Passes"/> only after a crash).</param>
public sealed record NotificationOutboxEntry(
    long Seq,
    Notification Notification,
    string Channel,
    string Address,
    NotificationStatus Status,
    int Passes,
    int Attempts,
    int RecordedPasses,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>Deliveries to one target keep their order: one entry waiting for a retry holds the later ones back.</summary>
    public string TargetKey => Channel + ":" + Address;
}
