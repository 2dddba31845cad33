using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts.Ingestion;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.CarePlans;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Telehealth.Contracts.Observations;

namespace Telehealth.Fhir.Outbox;

public static class FhirOutboxServiceCollectionExtensions
{
    /// <summary>
    /// The FHIR outbox: <see cref="FhirOutbox"/> (on the platform's IOutboxStore), <see cref="FhirOutboxWriter"/> as follower of stored data and
    /// NEWS2 observer, <see cref="FhirAlertEventFollower"/> on the alert event log, decorators that queue new patients and devices and every change to goals and care plans, and <see cref="FhirPushWorker"/>
    /// pushing to <c>Fhir:Server</c>. Call it after the alert core and the gateway are added (it decorates their
    /// <see cref="IPatientRepository"/> and <see cref="IDeviceRegistry"/>); it puts its ingest observer ahead of the
    /// ones already registered, so a reading's Observation is queued before the alert engine derives anything from it.
    /// <para>
    /// With <c>Fhir:Server</c> empty only the outbox itself (its API lists what an earlier configuration left) and the
    /// idle push worker are added: nothing is queued, because nothing would ever send it. Queuing anyway grew the outbox
    /// without bound (every reading's Observation, about 2 KB, kept pending forever) and cost the embedded default a
    /// share of its write path; <c>/fhir</c> serves every resource from the care record either way.
    /// </para>
    /// </summary>
    public static IServiceCollection AddTelehealthFhirOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FhirPushOptions>()
            .BindConfiguration(FhirPushOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FhirMapper>();
        services.TryAddSingleton<IFhirOutbox, FhirOutbox>();
        // The push worker logs that pushing is off and ends; a malformed Fhir:Server counts as set, so it still
        // stops the start with its one line.
        var pushing = !string.IsNullOrWhiteSpace(configuration[$"{FhirPushOptions.SectionName}:{nameof(FhirPushOptions.Server)}"]);
        AddPushWorker(services);
        if (!pushing)
        {
            return services;
        }
        services.TryAddSingleton<FhirOutboxWriter>();

        var observer = ServiceDescriptor.Singleton<IStoredDataObserver>(provider => provider.GetRequiredService<FhirOutboxWriter>());
        var firstObserver = IndexOf<IStoredDataObserver>(services, last: false);
        if (firstObserver is { } index)
        {
            services.Insert(index, observer);
        }
        else
        {
            services.Add(observer);
        }
        services.AddSingleton<IAlertEventFollower, FhirAlertEventFollower>();
        services.AddSingleton<INews2AssessmentObserver>(provider => provider.GetRequiredService<FhirOutboxWriter>());

        Decorate<IPatientRepository>(services, (inner, provider) => new FhirOutboxPatientRepository(
            inner, provider.GetRequiredService<IFhirOutbox>(), provider.GetRequiredService<FhirMapper>(), provider.GetRequiredService<ILogger<FhirOutboxPatientRepository>>()));
        Decorate<IDeviceRegistry>(services, (inner, provider) => new FhirOutboxDeviceRegistry(
            inner, provider.GetRequiredService<IFhirOutbox>(), provider.GetRequiredService<FhirMapper>(), provider.GetRequiredService<ILogger<FhirOutboxDeviceRegistry>>()));

        if (IndexOf<IConsciousnessStore>(services, last: true) is not null)
        {
            Decorate<IConsciousnessStore>(services, (inner, provider) => new FhirOutboxConsciousnessStore(
                inner, provider.GetRequiredService<FhirOutboxWriter>(), provider.GetRequiredService<ILogger<FhirOutboxConsciousnessStore>>()));
        }

        if (IndexOf<ICarePlanStore>(services, last: true) is not null)
        {
            Decorate<ICarePlanStore>(services, (inner, provider) => new FhirOutboxCarePlanStore(
                inner, provider.GetRequiredService<FhirOutboxWriter>(), provider.GetRequiredService<ILogger<FhirOutboxCarePlanStore>>()));
        }

        return services;
    }

    private static void AddPushWorker(IServiceCollection services)
    {
        // The pipeline's timeout bounds each attempt; the HttpClient's own timeout would cut across retries.
        services.AddHttpClient(FhirPushClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService(provider =>
        {
            var options = provider.GetRequiredService<IOptions<FhirPushOptions>>();
            var time = provider.GetRequiredService<TimeProvider>();
            var client = options.Value.PushEnabled
                ? new FhirPushClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(FhirPushClient.HttpClientName), options, time)
                : null;
            return new FhirPushWorker(provider.GetRequiredService<IFhirOutbox>(), client, options, time, provider.GetRequiredService<ILogger<FhirPushWorker>>());
        });
    }

    private static void Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var index = IndexOf<TService>(services, last: true)
            ?? throw new InvalidOperationException($"Register {typeof(TService).Name} before AddTelehealthFhirOutbox: the outbox decorates it.");
        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(TService), provider => decorate((TService)CreateInner(provider, inner), provider), inner.Lifetime);
    }

    private static object CreateInner(IServiceProvider provider, ServiceDescriptor inner) =>
        inner.ImplementationInstance
        ?? inner.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, inner.ImplementationType!);

    private static int? IndexOf<TService>(IServiceCollection services, bool last)
    {
        int? found = null;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                found = i;
                if (!last)
                {
                    break;
                }
            }
        }
        return found;
    }
}
