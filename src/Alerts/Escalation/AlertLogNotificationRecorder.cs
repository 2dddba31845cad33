using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;

namespace Telehealth.Alerts.Escalation;

/// <summary>
/// Records each delivery pass in the alert event log: <c>notification_sent</c> or <c>notification_failed</c>, actor
/// system, subject the person or partner, reason "channel to address: outcome, pass, attempts, the receiver's code".
/// </summary>
public sealed class AlertLogNotificationRecorder(IAlertStore alerts, IAlertEventAppender appender) : INotificationOutcomeRecorder
{
    public async Task RecordAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var alert = await alerts.GetAsync(delivery.Notification.AlertId, cancellationToken);
        if (alert is null)
        {
            return;
        }
        var change = AlertCaseLifecycle.RecordNotification(alert, delivery.Notification.Recipient,
            delivery.Outcome == NotificationOutcome.Delivered, delivery.Describe(), delivery.At);
        await appender.AppendAsync(alert.Id, change.Events, expectedLastSequence: null, cancellationToken);
    }
}
