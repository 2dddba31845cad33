using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.CareRecord.Instances;

namespace Telehealth.Alerts.Instances;

/// <summary>
/// Runs work that must happen once across the instances sharing a care record only while this instance holds its
/// lease (<see cref="IWorkLeaseStore"/>): asks for the lease every third of <see cref="InstanceOptions.LeaseDuration"/>,
/// starts the work when it gets it, renews it every third, and cancels the work when a renewal is refused (another
/// instance took it: this one was paused past its lease) or has not succeeded by two thirds (the care record is
/// unreachable: better to stop than to run on beside the next holder). Regained, the work starts again from the
/// start, so it re-reads whatever it saved (a follower's cursor). Stopping the host releases the lease, so another
/// instance takes over without waiting for it to run out; so does a crash on this machine, seen by the next instance
/// here (<see cref="InstanceIdentity.HasDiedHere"/>).
/// </summary>
public sealed partial class WorkLeases(
    IWorkLeaseStore store,
    InstanceIdentity instance,
    IOptions<InstanceOptions> options,
    TimeProvider time,
    ILogger<WorkLeases> logger)
{
    /// <summary>Per lease, the dead holder whose lease this instance last ended (one try per dead holder).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _endedHolders = new();

    /// <summary>Runs <paramref name="work"/> while this instance holds lease <paramref name="name"/>, until <paramref name="stoppingToken"/> ends.</summary>
    public async Task RunWhileHeldAsync(string name, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(work);
        await Task.Yield();
        var duration = options.Value.LeaseDuration;
        var step = duration / 3;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var acquiredAt = time.GetUtcNow();
                if (await TryAcquireAsync(name, duration, acquiredAt, stoppingToken) is not true)
                {
                    if (await EndedDeadHoldersLeaseAsync(name, stoppingToken))
                    {
                        continue; // ask again now, beside any other instance that may also ask
                    }
                    await Task.Delay(step, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }
                LogAcquired(name, instance.Id);
                var renewedAt = acquiredAt;
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var running = Task.Run(() => work(held.Token), CancellationToken.None);
                var lost = false;
                while (!running.IsCompleted && !stoppingToken.IsCancellationRequested)
                {
                    await Task.WhenAny(running, Task.Delay(step, time, stoppingToken));
                    if (running.IsCompleted || stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }
                    var now = time.GetUtcNow();
                    var renewed = await TryAcquireAsync(name, duration, now, stoppingToken);
                    if (renewed is true)
                    {
                        renewedAt = now;
                    }
                    // Refused: another instance holds it (this one was paused past its lease). Unanswered: stop by two
                    // thirds of the lease, a third before another instance may take it.
                    else if (renewed is false || time.GetUtcNow() >= renewedAt + duration * 2 / 3)
                    {
                        lost = true;
                        break;
                    }
                }
                await held.CancelAsync();
                try
                {
                    await running;
                }
                catch (OperationCanceledException) when (held.IsCancellationRequested)
                {
                    // The work ended because it was told to.
                }
                catch (Exception exception)
                {
                    LogWorkFailed(exception, name);
                }
                if (lost)
                {
                    LogLost(name, instance.Id);
                }
                if (!stoppingToken.IsCancellationRequested)
                {
                    // Lost, or the work ended by itself: ask again a step later, not in a tight loop.
                    await Task.Delay(step, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while asking the care record: still release below.
        }
        try
        {
            // Bounded, so an unreachable care record cannot hold up the stop (the lease then simply runs out).
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store.ReleaseAsync(name, instance.Id, timeout.Token);
        }
        catch (Exception exception)
        {
            LogReleaseFailed(exception, name);
        }
    }

    /// <summary>
    /// Ends the lease of a holder known dead (<see cref="InstanceIdentity.HasDiedHere"/>), when allowed. The release is
    /// conditional on that holder, so a lease another instance took meanwhile is never touched. True when one was ended.
    /// </summary>
    private async Task<bool> EndedDeadHoldersLeaseAsync(string name, CancellationToken stoppingToken)
    {
        if (!options.Value.TakeOverFromDeadLocalHolders)
        {
            return false;
        }
        try
        {
            var lease = await store.GetAsync(name, stoppingToken);
            if (lease is null || lease.Holder == instance.Id || (_endedHolders.TryGetValue(name, out var ended) && ended == lease.Holder) || !instance.HasDiedHere(lease.Holder))
            {
                return false;
            }
            _endedHolders[name] = lease.Holder; // once per dead holder: a release that did not take never loops here
            await store.ReleaseAsync(name, lease.Holder, stoppingToken);
            LogDeadHolder(name, lease.Holder);
            return true;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogLeaseFailed(exception, name);
            return false;
        }
    }

    /// <summary>True: held until now + duration; false: another instance holds it; null: the care record did not answer.</summary>
    private async Task<bool?> TryAcquireAsync(string name, TimeSpan duration, DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            return await store.TryAcquireAsync(name, instance.Id, duration, now, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogLeaseFailed(exception, name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Holder} holds work lease {Lease}: running it here")]
    private partial void LogAcquired(string lease, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work lease {Lease} was held by instance {Holder}, whose process on this machine has ended: its lease is ended now instead of when it runs out")]
    private partial void LogDeadHolder(string lease, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Holder} lost work lease {Lease}: stopped it here; it resumes from its saved place wherever it is held next")]
    private partial void LogLost(string lease, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work lease {Lease} could not be taken or renewed; retrying")]
    private partial void LogLeaseFailed(Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Error, Message = "The work under lease {Lease} ended with an error; it starts again while the lease is held")]
    private partial void LogWorkFailed(Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work lease {Lease} could not be released at stop; another instance takes it when it runs out")]
    private partial void LogReleaseFailed(Exception exception, string lease);
}
