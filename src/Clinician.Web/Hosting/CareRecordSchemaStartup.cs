using Telehealth.Contracts.Storage;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Runs the care-record migrations (<see cref="ISchemaMigrator"/>) once per process, before any store is used.
/// <c>Program</c> asks first, before the host starts, so a database this build cannot use stops the process with one
/// line rather than after the host has logged a stack trace; <see cref="PlatformInitializer"/> asks again for hosts
/// that skip those lines (WebApplicationFactory stops Program at Build), and gets the same single run.
/// </summary>
public sealed partial class CareRecordSchemaStartup
{
    private readonly Lazy<Task<SchemaMigrationReport>> _run;

    public CareRecordSchemaStartup(ISchemaMigrator migrator, ILogger<CareRecordSchemaStartup> logger)
    {
        _run = new(async () =>
        {
            var report = await migrator.MigrateAsync();
            LogSchema(logger, report.ToVersion, report.FromVersion, report.Adopted, report.Applied.Count);
            return report;
        });
    }

    public Task<SchemaMigrationReport> EnsureMigratedAsync() => _run.Value;

    [LoggerMessage(Level = LogLevel.Information, Message = "Care-record schema at version {Version} (found {Found}; adopted a database from before versioning: {Adopted}; migrations applied: {Applied})")]
    private static partial void LogSchema(ILogger logger, int version, int found, bool adopted, int applied);
}
