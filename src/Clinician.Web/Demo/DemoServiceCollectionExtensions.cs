namespace Telehealth.Clinician.Web.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>Seeds the demo caseload and runs its simulated homes against the embedded broker.</summary>
    public static IServiceCollection AddTelehealthDemo(this IServiceCollection services)
    {
        services.AddSingleton<InProcessCaseloadProvisioner>();
        services.AddHostedService<DemoHomesService>();
        return services;
    }
}
