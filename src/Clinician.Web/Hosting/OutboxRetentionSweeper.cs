using Microsoft.Extensions.Options;
using Telehealth.Contracts.Outbox;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Removes delivered outbox messages older than <c>Storage:DeliveredOutboxRetention</c>, at start and then hourly, so
/// the outbox no longer grows without bound. Pending and failed messages stay: one is still owed, the other is
/// evidence staff may need.
/// </summary>
public sealed partial class OutboxRetentionSweeper(
    IOutboxStore outbox,
    IOptions<StorageOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRetentionSweeper> logger) : BackgroundService
{
    // Hourly: retention is counted in days, so an hour late costs a few rows, not a growing table.
    public static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    /// <summary>One sweep; returns how many delivered messages were removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await outbox.PruneDeliveredAsync(timeProvider.GetUtcNow() - options.Value.DeliveredOutboxRetention, cancellationToken);
        if (removed > 0)
        {
            LogSwept(logger, removed);
        }
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, timeProvider);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Housekeeping: a failed sweep is logged and tried again next interval.
                LogSweepFailed(logger, exception);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Removed} delivered outbox messages past retention")]
    private static partial void LogSwept(ILogger logger, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping delivered outbox messages failed; will try again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
