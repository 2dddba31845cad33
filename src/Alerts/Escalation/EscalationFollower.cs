using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite.Escalation;

namespace Telehealth.Alerts.Escalation;

/// <summary>
/// Follows the alert event log for escalation:
/// <list type="bullet">
/// <item>every event that may change who must be told or when (raised, re-opened, acknowledged, snoozed, unsnoozed,
/// resolved, updated...) brings the alert's escalation timer forward to now, so the worker decides again at once;</item>
/// <item>every <c>escalated</c> event queues a notification to each contact the rota gives the person or partner
/// (email, webhook), keyed by the event's sequence, so reading the log again after a crash queues nothing twice. A
/// person without a contact gets a <c>notification_failed</c> (<c>no_contact</c>) on the alert: visible, not silent.</item>
/// </list>
/// Notification outcomes (<c>notification_sent</c>/<c>failed</c>) are its own doing and change nothing here.
/// </summary>
public sealed partial class EscalationFollower(
    SqliteEscalationTimers timers,
    INotificationOutbox outbox,
    IAlertEventLog log,
    IAlertEventAppender appender,
    IPatientRepository patients,
    ITeamRotaStore rotas,
    IOptions<NotificationOutboxOptions> notificationOptions,
    TimeProvider time,
    ILogger<EscalationFollower> logger) : IAlertEventFollower
{
    public string Name => "escalation";

    /// <summary>From the start: alerts open when escalation is first deployed get their timers too.</summary>
    public bool StartsAtLatest => false;

    public async Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var record in events)
        {
            switch (record.Type)
            {
                case AlertEventType.NotificationSent or AlertEventType.NotificationFailed:
                    break;
                case AlertEventType.Escalated:
                    await NotifyAsync(record, cancellationToken);
                    break;
                default:
                    await timers.ScheduleAsync(record.AlertId, record.PatientId, time.GetUtcNow(), cancellationToken);
                    break;
            }
        }
    }

    private async Task NotifyAsync(AlertEventRecord record, CancellationToken cancellationToken)
    {
        var target = record.Event.Subject;
        if (string.IsNullOrEmpty(target))
        {
            return;
        }
        var alert = record.Alert;
        var patient = await patients.GetAsync(alert.PatientId, cancellationToken);
        var rota = patient is null ? null : await rotas.GetAsync(patient.TeamId, cancellationToken);
        var contact = rota?.ContactOf(target, record.At);
        if (rota is null || contact is null || contact.IsEmpty)
        {
            var key = NotificationKey(record);
            var history = await log.ForAlertAsync(alert.Id, cancellationToken);
            if (!history.Any(e => e.Type == AlertEventType.NotificationFailed && e.Event.Reason.StartsWith(key + " ", StringComparison.Ordinal)))
            {
                var failed = AlertCaseLifecycle.RecordNotification(alert, target, delivered: false,
                    $"{key} no_contact: {target} has no email or webhook in the team's duty rota", time.GetUtcNow());
                await appender.AppendAsync(alert.Id, failed.Events, expectedLastSequence: null, cancellationToken);
            }
            LogNoContact(alert.Id, target);
            return;
        }
        var kind = rota.IsPartner(target) ? "partner" : target == rota.TeamLead ? "team_lead" : "staff";
        var step = await StepOfAsync(record, rota, cancellationToken);
        var link = notificationOptions.Value.DashboardUri is { } dashboard ? new Uri(dashboard, $"?alert={alert.Id:D}") : null;
        var notification = new Notification(
            NotificationKey(record), alert.Id, alert.IncidentId, alert.PatientId, rota.TeamId, alert.Severity, alert.ConditionKey,
            alert.Code, target, kind, step, record.Event.Reason, alert.OpenedAt, alert.RespondBy, link, record.At);
        var requests = new List<NotificationRequest>();
        if (!string.IsNullOrWhiteSpace(contact.Email))
        {
            requests.Add(new NotificationRequest(notification, NotificationChannels.Email, contact.Email));
        }
        if (!string.IsNullOrWhiteSpace(contact.Webhook))
        {
            requests.Add(new NotificationRequest(notification, NotificationChannels.Webhook, contact.Webhook));
        }
        await outbox.EnqueueAsync(requests, cancellationToken);
    }

    /// <summary>The ladder step this event is (0 = first notification), counted from the alert's log since it was opened; partners count apart.</summary>
    private async Task<int> StepOfAsync(AlertEventRecord record, TeamRota rota, CancellationToken cancellationToken)
    {
        if (rota.IsPartner(record.Event.Subject!))
        {
            return rota.Partners.First(p => p.Id == record.Event.Subject).FromStep;
        }
        var history = await log.ForAlertAsync(record.AlertId, cancellationToken);
        // Event times are kept in whole milliseconds; the alert's opening in ticks.
        var opened = DateTimeOffset.FromUnixTimeMilliseconds(record.Alert.OpenedAt.ToUnixTimeMilliseconds());
        return history.Count(e => e.Type == AlertEventType.Escalated && e.Sequence < record.Sequence && e.At >= opened
            && e.Event.Subject is { } s && !rota.IsPartner(s));
    }

    private static string NotificationKey(AlertEventRecord record) => $"escalation:{record.Sequence}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} escalated to {Target}, who has no contact in the duty rota: recorded as notification_failed")]
    private partial void LogNoContact(Guid alertId, string target);
}
