using Telehealth.Clinician.Web.Auth;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Creates every store's tables before the broker accepts a device, and the first admin account when configured.</summary>
public sealed partial class PlatformInitializer(IServiceProvider services, ILogger<PlatformInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IReadingStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<ITelecareEventStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<IConsciousnessStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<SqliteEvaluationQueue>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<SqliteAlertStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<SqliteRejectionLog>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<IDeviceRegistry>().InitializeAsync(cancellationToken);
        var staff = services.GetRequiredService<StaffDirectory>();
        await staff.InitializeAsync(cancellationToken);
        await services.GetRequiredService<ITeamStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<Telehealth.CareRecord.Audit.IAuditLog>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<Telehealth.CareRecord.Caseload.IPatientContactStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<SqliteSignInFailureLog>().InitializeAsync(cancellationToken);

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
