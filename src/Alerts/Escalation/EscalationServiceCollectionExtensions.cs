using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.Alerts.Recording;
using Telehealth.Notifications;
using Telehealth.Notifications.Outbox;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Escalation;

namespace Telehealth.Alerts.Escalation;

public static class EscalationServiceCollectionExtensions
{
    /// <summary>
    /// Escalation and notifications: team rotas (<see cref="SqliteTeamRotaStore"/>), durable timers, the
    /// <see cref="EscalationFollower"/> on the alert event log, the <see cref="EscalationWorker"/>, and the notification
    /// channels and outbox, whose outcomes go into the alert event log (<see cref="AlertLogNotificationRecorder"/>).
    /// Call after <see cref="AlertsServiceCollectionExtensions.AddTelehealthAlerts"/>. Options from "Escalation" and "Notifications".
    /// </summary>
    public static IServiceCollection AddTelehealthEscalation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ITeamRotaStore, SqliteTeamRotaStore>();
        services.TryAddSingleton<SqliteEscalationTimers>();
        services.TryAddSingleton<IAlertEventAppender>(provider => new SqliteAlertEventAppender(
            provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<SqliteAlertStore>(), provider.GetRequiredService<AlertEventSignal>()));
        services.TryAddSingleton<INotificationOutcomeRecorder, AlertLogNotificationRecorder>();
        services.AddSingleton<IAlertEventFollower, EscalationFollower>();
        services.AddHostedService<EscalationWorker>();
        services.AddTelehealthNotifications();
        return services;
    }
}
