using Telehealth.Clinician.Web.Auth;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Readings;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Migrates the care-record schema before the broker accepts a device, and creates the first admin account when configured.</summary>
public sealed partial class PlatformInitializer(IServiceProvider services, ILogger<PlatformInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any store is used (a no-op when Program has already run it).
        await services.GetRequiredService<CareRecordSchemaStartup>().EnsureMigratedAsync();
        await services.GetRequiredService<IReadingStore>().InitializeAsync(cancellationToken); // InfluxDB: creates its database
        var staff = services.GetRequiredService<StaffDirectory>();

        var auth = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value;
        if (!string.IsNullOrEmpty(auth.InitialAdminPassword) && !await staff.AnyAsync(cancellationToken))
        {
            await staff.UpsertAsync(new StaffUser("admin", StaffRoles.Admin, auth.DefaultTeamId), auth.InitialAdminPassword, cancellationToken);
            LogAdminCreated(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the staff account 'admin' from Auth:InitialAdminPassword")]
    private static partial void LogAdminCreated(ILogger logger);
}
