using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Resources;

namespace Telehealth.Fhir.Server;

public static class FhirServerServiceCollectionExtensions
{
    /// <summary>
    /// The served FHIR endpoint's services: one source per resource type (Observation, RiskAssessment, Flag, Task,
    /// Device, Patient, Goal, CarePlan) over the platform's stores. Needs the stores, registry and repositories already registered.
    /// Map it with <see cref="FhirServerEndpoints.MapFhirServer"/>.
    /// </summary>
    public static IServiceCollection AddFhirServer(this IServiceCollection services)
    {
        services.TryAddSingleton<FhirMapper>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FhirServerClock>();
        services.AddSingleton<ObservationCodes>();
        services.AddSingleton<AlertResources>();
        services.AddSingleton<IFhirResourceSource, ObservationSource>();
        services.AddSingleton<IFhirResourceSource, RiskAssessmentSource>();
        services.AddSingleton<IFhirResourceSource, FlagSource>();
        services.AddSingleton<IFhirResourceSource, TaskSource>();
        services.AddSingleton<IFhirResourceSource, DeviceSource>();
        services.AddSingleton<IFhirResourceSource, PatientSource>();
        services.AddSingleton<IFhirResourceSource, GoalSource>();
        services.AddSingleton<IFhirResourceSource, CarePlanSource>();
        // Replaces the default result handler (registered with TryAdd by AddAuthorization) and delegates to it outside /fhir.
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, FhirAuthorizationResultHandler>();
        return services;
    }
}
