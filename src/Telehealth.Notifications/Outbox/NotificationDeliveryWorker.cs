using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Outbox;

/// <summary>
/// Delivers the notification outbox, oldest first, in order per target (channel and address):
/// <list type="bullet">
/// <item>Delivered: marked sent; <c>notification_sent</c> recorded.</item>
/// <item>Rejected (SMTP 5xx, HTTP 4xx other than 408/429, unknown target): marked failed with the answer and
/// never re-sent; <c>notification_failed</c> recorded. It does not hold back the target's later messages.</item>
/// <item>Transient (after the channel's own retries): stays pending, the next pass waits
/// <see cref="NotificationOutboxOptions.PassDelay"/> doubled per pass (or the receiver's Retry-After if longer),
/// and the target's later messages wait behind it, so a receiver sees escalation steps in order.
/// <c>notification_failed</c> is recorded for every such pass, so a failing channel is visible on the alert at
/// once; after <see cref="NotificationOutboxOptions.MaxPasses"/> it is given up (marked failed).</item>
/// </list>
/// Escalation does not wait for any of this: the next step goes to the next person on time whatever the channel did.
/// </summary>
public sealed partial class NotificationDeliveryWorker(
    INotificationOutbox outbox,
    IEnumerable<INotificationChannel> channels,
    INotificationOutcomeRecorder recorder,
    IOptions<NotificationOutboxOptions> options,
    TimeProvider time,
    ILogger<NotificationDeliveryWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Kind, StringComparer.Ordinal);
    private readonly NotificationOutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking, so an entry queued while this pass runs wakes the next wait at once.
            var wake = outbox.NextEntry;
            TimeSpan wait;
            try
            {
                await RecordUnrecordedAsync(stoppingToken);
                var pass = await DrainAsync(stoppingToken);
                if (pass.More)
                {
                    continue;
                }
                wait = pass.NextDue is { } due ? Min(due - time.GetUtcNow(), _options.PollInterval) : _options.PollInterval;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The outbox or the event log failed (database busy or gone): nothing is lost, try again shortly.
                LogPassFailed(exception);
                wait = _options.PollInterval;
            }
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await wake.WaitAsync(wait, time, stoppingToken);
                }
                catch (TimeoutException)
                {
                    // A retry may be due, or the poll: look again.
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One page of pending entries: each delivered, failed or deferred.</summary>
    private async Task<PassResult> DrainAsync(CancellationToken cancellationToken)
    {
        var page = await outbox.PendingAsync(_options.BatchSize, cancellationToken);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? nextDue = null;
        var progressed = 0;
        foreach (var entry in page)
        {
            if (blocked.Contains(entry.TargetKey))
            {
                continue;
            }
            var now = time.GetUtcNow();
            if (entry.NextAttemptAt > now)
            {
                blocked.Add(entry.TargetKey);
                nextDue = nextDue is { } earlier && earlier < entry.NextAttemptAt ? earlier : entry.NextAttemptAt;
                continue;
            }
            var result = _channels.TryGetValue(entry.Channel, out var channel)
                ? await channel.SendAsync(entry.Notification, entry.Address, cancellationToken)
                : new NotificationResult(NotificationOutcome.Rejected, null, 0, "unknown_channel");
            var delivery = await SettleAsync(entry, result, cancellationToken);
            progressed++;
            if (!delivery.Final)
            {
                blocked.Add(entry.TargetKey);
                nextDue = nextDue is { } earlier && earlier < delivery.RetryAt ? earlier : delivery.RetryAt;
            }
        }
        return new PassResult(More: page.Count == _options.BatchSize && progressed > 0, nextDue);
    }

    private async Task<NotificationDelivery> SettleAsync(NotificationOutboxEntry entry, NotificationResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pass = entry.Passes + 1;
        var (status, final, retryAt) = result.Outcome switch
        {
            NotificationOutcome.Delivered => (NotificationStatus.Sent, true, (DateTimeOffset?)null),
            NotificationOutcome.Rejected => (NotificationStatus.Failed, true, null),
            _ when pass >= _options.MaxPasses => (NotificationStatus.Failed, true, null),
            _ => (NotificationStatus.Pending, false, now + NextPassDelay(pass, result.RetryAfter)),
        };
        await outbox.RecordPassAsync(entry.Seq, status, result.Attempts, result.StatusCode, result.Error, retryAt ?? now, final ? now : null, cancellationToken);
        var delivery = new NotificationDelivery(entry.Seq, entry.Notification, entry.Channel, entry.Address, result.Outcome, final, pass,
            result.Attempts, result.StatusCode, result.Error, now, retryAt);
        switch (result.Outcome)
        {
            case NotificationOutcome.Delivered:
                LogDelivered(entry.Seq, entry.Notification.AlertId, entry.Channel, entry.Notification.Recipient, result.Attempts);
                break;
            case NotificationOutcome.Rejected:
                LogRejected(entry.Seq, entry.Notification.AlertId, entry.Channel, entry.Notification.Recipient, result.StatusCode);
                break;
            default:
                LogTransient(entry.Seq, entry.Notification.AlertId, entry.Channel, entry.Notification.Recipient, result.StatusCode, pass, final);
                break;
        }
        await RecordAsync(delivery, cancellationToken);
        return delivery;
    }

    private async Task RecordAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        await recorder.RecordAsync(delivery, cancellationToken);
        await outbox.MarkRecordedAsync(delivery.Seq, delivery.Pass, cancellationToken);
    }

    /// <summary>A crash between storing a pass and logging it leaves the pass unlogged: log it now, from what the outbox kept.</summary>
    private async Task RecordUnrecordedAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await outbox.UnrecordedAsync(_options.BatchSize, cancellationToken))
        {
            var outcome = entry.Status switch
            {
                NotificationStatus.Sent => NotificationOutcome.Delivered,
                NotificationStatus.Failed when entry.LastStatusCode is { } code && IsRejection(entry.Channel, code) => NotificationOutcome.Rejected,
                _ => NotificationOutcome.Transient,
            };
            await RecordAsync(new NotificationDelivery(entry.Seq, entry.Notification, entry.Channel, entry.Address, outcome,
                entry.Status != NotificationStatus.Pending, entry.Passes, entry.Attempts, entry.LastStatusCode, entry.LastError,
                entry.CompletedAt ?? time.GetUtcNow(), entry.Status == NotificationStatus.Pending ? entry.NextAttemptAt : null), cancellationToken);
        }
    }

    private static bool IsRejection(string channel, int code) =>
        channel == NotificationChannels.Email ? code >= 500 : code is >= 400 and < 500 and not 408 and not 429;

    private TimeSpan NextPassDelay(int pass, TimeSpan? retryAfter)
    {
        var doubled = TimeSpan.FromTicks(Math.Min(_options.MaxPassDelay.Ticks, _options.PassDelay.Ticks * (1L << Math.Min(pass - 1, 20))));
        return retryAfter is { } asked && asked > doubled ? Min(asked, _options.MaxPassDelay) : doubled;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record PassResult(bool More, DateTimeOffset? NextDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Seq} for alert {AlertId} delivered by {Channel} to {Recipient} after {Attempts} attempt(s)")]
    private partial void LogDelivered(long seq, Guid alertId, string channel, string recipient, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Seq} for alert {AlertId} by {Channel} to {Recipient} rejected (code {Code}); kept as failed")]
    private partial void LogRejected(long seq, Guid alertId, string channel, string recipient, int? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Seq} for alert {AlertId} by {Channel} to {Recipient} not delivered (code {Code}, pass {Pass}, given up: {Final})")]
    private partial void LogTransient(long seq, Guid alertId, string channel, string recipient, int? code, int pass, bool final);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification outbox pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
