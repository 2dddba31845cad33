using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Rules;
using Telehealth.Contracts.Evaluation;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Caseload;

namespace Telehealth.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// The alert core: caseload and threshold repositories, the alert store and event log, the evaluation queue and its
    /// worker (<see cref="EvaluationWorker"/>), rule state and the wake-up scheduler (<see cref="RuleWakeupScheduler"/>),
    /// <see cref="AlertEngine"/>, and the runner of the alert event followers
    /// (<see cref="AlertEventFollowers"/>). The host registers a singleton SqliteDatabase and an IReadingStore, and adds
    /// its own <see cref="IAlertEventFollower"/>s (SignalR, FHIR). Options come from sections "Alerts" and "Evaluation".
    /// </summary>
    public static IServiceCollection AddTelehealthAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<EvaluationOptions>()
            .BindConfiguration(EvaluationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPatientRepository, SqlitePatientRepository>();
        services.TryAddSingleton<IThresholdRepository, SqliteThresholdRepository>();
        services.TryAddSingleton<AlertEventSignal>();
        services.TryAddSingleton<RuleWakeupSignal>();
        services.TryAddSingleton(provider => new SqliteAlertStore(provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<AlertEventSignal>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<RuleWakeupSignal>()));
        services.TryAddSingleton<SqliteRuleStateStore>();
        services.TryAddSingleton<IRuleStateStore>(provider => provider.GetRequiredService<SqliteRuleStateStore>());
        services.TryAddSingleton<IAlertStore>(provider => provider.GetRequiredService<SqliteAlertStore>());
        services.TryAddSingleton<IAlertEventLog>(provider => provider.GetRequiredService<SqliteAlertStore>());
        services.TryAddSingleton<INews2AssessmentStore, SqliteNews2AssessmentStore>();
        services.TryAddSingleton<SqliteEvaluationQueue>();
        services.TryAddSingleton<IEvaluationQueue>(provider => provider.GetRequiredService<SqliteEvaluationQueue>());
        services.TryAddSingleton<EvaluationSignal>();
        services.TryAddSingleton<IEvaluationSignal>(provider => provider.GetRequiredService<EvaluationSignal>());
        services.TryAddSingleton<AlertEngine>();
        services.AddMetrics();
        services.TryAddSingleton<EvaluationMetrics>();
        services.AddHostedService<EvaluationWorker>();
        services.AddHostedService<RuleWakeupScheduler>();
        services.AddHostedService<AlertEventFollowers>();
        return services;
    }
}
