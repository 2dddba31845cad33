using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Prunes rejections and failed sign-ins past their retention, at start and then every PruneInterval.</summary>
public sealed partial class RetentionPruner(
    SqliteRejectionLog rejections,
    SqliteSignInFailureLog signInFailures,
    IOptions<RejectionOptions> rejectionOptions,
    IOptions<SignInOptions> signInOptions,
    TimeProvider timeProvider,
    ILogger<RetentionPruner> logger) : BackgroundService
{
    /// <summary>Runs one pruning pass; returns rows removed (rejections, sign-in failures).</summary>
    public async Task<(int Rejections, int SignInFailures)> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var removedRejections = await rejections.PruneAsync(now - rejectionOptions.Value.Retention, cancellationToken);
        var removedFailures = await signInFailures.PruneAsync(now - signInOptions.Value.FailureRetention, cancellationToken);
        if (removedRejections + removedFailures > 0)
        {
            LogPruned(logger, removedRejections, removedFailures);
        }
        return (removedRejections, removedFailures);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Rejections} rejections and {SignInFailures} failed sign-ins past retention")]
    private static partial void LogPruned(ILogger logger, int rejections, int signInFailures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old rejections and failed sign-ins failed; will try again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
