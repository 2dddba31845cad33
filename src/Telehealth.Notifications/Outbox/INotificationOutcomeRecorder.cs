namespace Telehealth.Notifications.Outbox;

/// <summary>
/// Writes a delivery's outcome into the alert event log (the alert core implements it). Called after the outbox
/// holds the outcome; a crash in between is caught up at the next start, so every pass is recorded at least once.
/// </summary>
public interface INotificationOutcomeRecorder
{
    Task RecordAsync(NotificationDelivery delivery, CancellationToken cancellationToken);
}
