using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Instances;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Rules;
using Telehealth.CareRecord.Figures;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Contracts.Evaluation;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Waking;

namespace Telehealth.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// The alert core: caseload and threshold repositories, the alert store and event log, the evaluation queue and its
    /// worker (<see cref="EvaluationWorker"/>), rule state and the wake-up scheduler (<see cref="RuleWakeupScheduler"/>),
    /// <see cref="AlertEngine"/>, and the runner of the alert event followers
    /// (<see cref="AlertEventFollowers"/>). The host registers the stores (IAlertStore, IAlertEventLog, IRuleStateStore,
    /// IEvaluationQueue, the caseload repositories…: AddTelehealthSqliteStorage) and an IReadingStore, and adds
    /// its own <see cref="IAlertEventFollower"/>s (SignalR, FHIR). Work done once across instances runs under a work lease
    /// (<see cref="WorkLeases"/>). Options come from sections "Alerts", "Evaluation" and "Instances".
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
        services.AddOptions<InstanceOptions>()
            .BindConfiguration(InstanceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<InstanceIdentity>();
        services.TryAddSingleton<WorkLeases>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertEventSignal>();
        services.TryAddSingleton<RuleWakeupSignal>();
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
