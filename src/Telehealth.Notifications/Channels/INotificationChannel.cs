namespace Telehealth.Notifications.Channels;

/// <summary>
/// A way of reaching someone (email, signed webhook). A channel retries what may pass on a second try (within one
/// send, with back-off) and answers what happened; it never throws for a delivery failure, so the outbox can record
/// every outcome.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The channel's name in rota contacts and the outbox: <see cref="NotificationChannels.Email"/>, <see cref="NotificationChannels.Webhook"/>.</summary>
    string Kind { get; }

    /// <param name="address">An email address, or the name of a configured webhook target.</param>
    Task<NotificationResult> SendAsync(Notification notification, string address, CancellationToken cancellationToken);
}
