using Telehealth.CareRecord.Staff;
using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Prunes rejections, failed sign-ins, and (in the embedded store) readings and telecare events past their retention,
/// at start and then every PruneInterval.
/// </summary>
public sealed partial class RetentionPruner(
    IRejectionQueries rejections,
    ISignInFailureLog signInFailures,
    IReadingStore readings,
    ITelecareEventStore events,
    IOptions<RejectionOptions> rejectionOptions,
    IOptions<SignInOptions> signInOptions,
    IOptions<StorageOptions> storageOptions,
    TimeProvider timeProvider,
    ILogger<RetentionPruner> logger) : BackgroundService
{
    /// <summary>Runs one pruning pass; returns rows removed.</summary>
    public async Task<(int Rejections, int SignInFailures, int Readings, int Events)> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var removedRejections = await rejections.PruneAsync(now - rejectionOptions.Value.Retention, cancellationToken);
        var removedFailures = await signInFailures.PruneAsync(now - signInOptions.Value.FailureRetention, cancellationToken);
        var readingsBefore = now - storageOptions.Value.ReadingRetention;
        // InfluxDB prunes by its own retention policies (Storage:Influx): only the embedded tables are ours to prune.
        var removedReadings = readings is SqliteReadingStore sqliteReadings ? await sqliteReadings.PruneAsync(readingsBefore, cancellationToken) : 0;
        var removedEvents = events switch
        {
            SqliteTelecareEventStore sqliteEvents => await sqliteEvents.PruneAsync(readingsBefore, cancellationToken),
            Telehealth.Storage.Postgres.Ingest.PostgresTelecareEventStore postgresEvents => await postgresEvents.PruneAsync(readingsBefore, cancellationToken),
            _ => 0,
        };
        if (removedRejections + removedFailures + removedReadings + removedEvents > 0)
        {
            LogPruned(logger, removedRejections, removedFailures, removedReadings, removedEvents);
        }
        return (removedRejections, removedFailures, removedReadings, removedEvents);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(rejectionOptions.Value.PruneInterval, timeProvider);
        do
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Pruning is housekeeping: a failed pass is logged and tried again next interval.
                LogPruneFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned past retention: {Rejections} rejections, {SignInFailures} failed sign-ins, {Readings} readings, {Events} telecare events")]
    private static partial void LogPruned(ILogger logger, int rejections, int signInFailures, int readings, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning past retention failed; will try again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
