using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Contracts.Storage;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Instances;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Waking;

namespace Telehealth.Alerts.Recording;

/// <summary>
/// Runs every <see cref="IAlertEventFollower"/> over the alert event log, each in its own loop with its own saved place,
/// so a slow or failing follower (an unreachable FHIR server) never holds up another (the dashboards' live push). A
/// follower's place moves on only after it handled the events, so a crash makes it see them again, never skip them.
/// Several instances on one care record: a follower that must act once (<see cref="IAlertEventFollower.OncePerCareRecord"/>)
/// runs only in the instance holding its work lease <c>alert-follower:&lt;name&gt;</c> (<see cref="WorkLeases"/>), and
/// starts again from the saved place whenever it is (re)gained there.
/// </summary>
public sealed partial class AlertEventFollowers(
    IEnumerable<IAlertEventFollower> followers,
    IAlertEventLog log,
    AlertEventSignal signal,
    IOptions<EvaluationOptions> options,
    WorkLeases leases,
    TimeProvider time,
    ILogger<AlertEventFollowers> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(followers.Select(follower => follower.OncePerCareRecord
            ? leases.RunWhileHeldAsync(LeaseName(follower.Name), held => FollowAsync(follower, held), stoppingToken)
            : FollowAsync(follower, stoppingToken)));

    /// <summary>The work lease of the follower named <paramref name="follower"/>.</summary>
    public static string LeaseName(string follower) => "alert-follower:" + follower;

    private async Task FollowAsync(IAlertEventFollower follower, CancellationToken stoppingToken)
    {
        await Task.Yield();
        long? position = null;
        var failures = 0;
        // The place is saved beside the work, not before the next read: saving it is a write, which on SQLite can wait
        // behind the ingest writer for tens of milliseconds under load (measured with alert-latency), and a live push
        // must not wait for it. One save at a time; while one is under way, the places handled meanwhile are saved
        // when it ends (or the next event wakes the loop), and a save that failed is made again. A crash before a save
        // only makes the follower see those events again, which it must bear anyway.
        Task saving = Task.CompletedTask;
        var savedThrough = -1L;
        async Task SaveAsync(long place)
        {
            using var deferrable = WriteUrgency.Defer();
            await log.SetCursorAsync(follower.Name, place, stoppingToken);
            savedThrough = place;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Signal.Next;
            var delay = options.Value.PollInterval;
            try
            {
                if (position is null)
                {
                    var saved = await log.GetCursorAsync(follower.Name, stoppingToken);
                    position = saved ?? (follower.StartsAtLatest ? await log.LatestSequenceAsync(stoppingToken) : 0);
                    if (saved is null)
                    {
                        // Saved at once, so "where it starts" is decided once, not again at every restart.
                        await log.SetCursorAsync(follower.Name, position.Value, stoppingToken);
                    }
                    savedThrough = position.Value;
                }
                var events = await log.ReadAfterAsync(position.Value, BatchSize, stoppingToken);
                if (events.Count > 0)
                {
                    // What followers write (FHIR Flags and Tasks, notifications to send) may wait behind urgent writers:
                    // the alert they follow is already recorded, and an ingest batch or the next alert must not wait for them.
                    using (WriteUrgency.Defer())
                    {
                        await follower.HandleAsync(events, stoppingToken);
                    }
                    position = events[^1].Sequence;
                    failures = 0;
                    if (saving.IsCompleted)
                    {
                        await saving;
                        saving = SaveAsync(position.Value);
                    }
                    continue;
                }
                if (saving.IsCompleted)
                {
                    await saving;
                    if (savedThrough < position)
                    {
                        saving = SaveAsync(position.Value);
                    }
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                if (saving.IsFaulted || saving.IsCanceled)
                {
                    saving = Task.CompletedTask; // seen; the place is saved again when idle
                }
                failures++;
                delay = TimeSpan.FromMilliseconds(Math.Min(30_000, options.Value.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 10))));
                LogFollowerFailed(exception, follower.Name, position ?? -1, failures);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            // Behind on saving: look again as soon as the save under way ends, not only at the next event or poll.
            var next = savedThrough < position ? Task.WhenAny(wake, saving) : wake;
            await WakeSignal.WaitAsync(next, delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await saving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert event follower {Follower} failed after event {Sequence} (failure {Failures}); it will retry from there")]
    private partial void LogFollowerFailed(Exception exception, string follower, long sequence, int failures);
}
