using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Storage;
using Telehealth.Contracts.Ingestion;

namespace Telehealth.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// The alert core: caseload and threshold repositories, the alert store, and <see cref="AlertEngine"/> as the
    /// <see cref="IStoredDataObserver"/>. The host registers a singleton SqliteDatabase, an IReadingStore and an
    /// <see cref="IAlertNotifier"/>. Tables are created on first use. Options come from section "Alerts".
    /// </summary>
    public static IServiceCollection AddTelehealthAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPatientRepository, SqlitePatientRepository>();
        services.TryAddSingleton<IThresholdRepository, SqliteThresholdRepository>();
        services.TryAddSingleton<IAlertStore, SqliteAlertStore>();
        services.TryAddSingleton<INews2AssessmentStore, SqliteNews2AssessmentStore>();
        services.TryAddSingleton<AlertEngine>();
        services.AddSingleton<IStoredDataObserver>(provider => provider.GetRequiredService<AlertEngine>());
        return services;
    }
}
