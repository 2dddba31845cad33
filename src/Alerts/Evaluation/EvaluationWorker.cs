using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Engine;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Waking;

namespace Telehealth.Alerts.Evaluation;

/// <summary>
/// Takes due items from the evaluation queue and evaluates them per patient, in queue order, off the devices'
/// acknowledgement path, a pass at a time. The alert engine decides the whole pass, then records it in two groups,
/// the patients whose alerts changed first; before each group is recorded the followers of stored data (the FHIR
/// Observations) hear of its items, and the group's alerts and completed items are then written in one transaction.
/// Once a pass's alerts are recorded the next pass may start beside it, for other people only (at most
/// <see cref="MaxPassesAtOnce"/> at once). A failure defers that
/// patient's items with a growing back-off and is retried until it succeeds; other patients go on.
/// </summary>
public sealed partial class EvaluationWorker(
    IEvaluationQueue queue,
    EvaluationSignal signal,
    AlertEngine engine,
    IEnumerable<IStoredDataObserver> storedDataFollowers,
    EvaluationMetrics metrics,
    IOptions<EvaluationOptions> options,
    TimeProvider time,
    ILogger<EvaluationWorker> logger) : BackgroundService
{
    /// <summary>
    /// Most passes under way at once (one deciding, the others recording their quiet groups). The people of each are
    /// disjoint, so the bound only limits memory and write turns queued; at the bound the oldest ends first.
    /// </summary>
    private const int MaxPassesAtOnce = 4;

    private readonly IStoredDataObserver[] _followers = storedDataFollowers.ToArray();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private long _passesSpaced;

    /// <summary>
    /// Claims this worker has held back for <see cref="EvaluationOptions.BusyPassSpacing"/> (counted as the wait begins;
    /// also the metric telehealth.evaluation.spaced_passes). Tests wait on it to know the worker is holding, rather than
    /// sleeping and hoping it had looked.
    /// </summary>
    public long PassesSpaced => Interlocked.Read(ref _passesSpaced);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Passes still recording their quiet group (people whose alerts did not change), oldest first. A new pass starts
        // beside them, for other people only, so a new alert waits for its own pass, not for the FHIR Observations and
        // commits of earlier ones (nor for a large pass after a backlog).
        var running = new List<RunningPass>();
        // The claims of about the last spacing (when each began, how many items it brought), the oldest at least that
        // long ago when there is one: the items claimed since the oldest, over the time since it, are the rate work
        // arrives at. Over one claim alone the rate jumped with every burst: at 2,000 readings/s two ingest batches a
        // few milliseconds apart measured tens of thousands a second (RateSince).
        var recentClaims = new Queue<(long At, int Items)>();
        recentClaims.Enqueue((time.GetTimestamp(), 0));
        // How many items the previous claim that found any brought. One large claim after a small one is a burst (an
        // ingest batch that waited for its turn to write), not sustained load, and spacing the next claim after it would
        // hold every alert of the following 300 ms for nothing. Empty claims do not count: one follows every pass that
        // is not spaced.
        var previousClaimItems = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = signal.Signal.Next;
                try
                {
                    await EndFinishedAsync(running);
                    // A running pass's people are left to it, whole: the queue skips them (IEvaluationQueue.ClaimAsync),
                    // so none of their items is claimed again, not even read: those of the pass are not done yet, and
                    // later ones must wait for them (queue order per person); a failure there is deferred when it
                    // ends. They are claimed again once it has. No pass starts while this claim runs (this loop starts
                    // them all), so the claim cannot return a person a pass holds and nothing is filtered here.
                    var claimedAt = time.GetTimestamp();
                    var due = await queue.ClaimAsync(settings.MaxItemsPerPass, time.GetUtcNow(), PeopleHeld(running), stoppingToken);
                    var arrivalRate = RateSince(recentClaims, claimedAt, due.Count, settings.BusyPassSpacing);
                    var sustained = previousClaimItems >= settings.BusyPassItems;
                    if (due.Count > 0)
                    {
                        previousClaimItems = due.Count;
                    }
                    if (due.Count > 0)
                    {
                        var pass = new RunningPass(due);
                        pass.Completion = EvaluatePassAsync(pass, stoppingToken);
                        running.Add(pass);
                        await Task.WhenAny(pass.AlertsRecorded.Task, pass.Completion);
                        if (running.Count >= MaxPassesAtOnce)
                        {
                            var oldest = running[0];
                            running.RemoveAt(0);
                            await oldest.Completion;
                        }
                        await PruneWhenDueAsync(stoppingToken);
                        // Busy (many items, arriving fast, as in the claim before): the next claim waits until the
                        // spacing since this one has passed, so that it brings more of each person's readings to one
                        // decision (EvaluationOptions.BusyPassSpacing). Many items at a moderate rate (the passes were
                        // held up once) are not spaced: that would only make their alerts later (BusyItemsPerSecond).
                        // A full claim is never spaced: more was waiting than a pass takes, and spacing it would cap
                        // evaluation at MaxItemsPerPass per spacing (16,667 items/s at 300 ms: below what the embedded
                        // default ingests, so its evaluation fell seconds behind its readings in the bench).
                        var busy = sustained
                            && due.Count >= settings.BusyPassItems
                            && arrivalRate >= settings.BusyItemsPerSecond
                            && due.Count < settings.MaxItemsPerPass;
                        if (busy && settings.BusyPassSpacing - time.GetElapsedTime(claimedAt) > TimeSpan.Zero)
                        {
                            Interlocked.Increment(ref _passesSpaced);
                            metrics.Spaced();
                            await HoldWhileArrivingAsync(claimedAt, settings, stoppingToken);
                        }
                        // More may be waiting: a full pass left some, the queue held people back for other instances
                        // (PostgreSQL claims at most half of the people waiting), or new work came while this pass ran.
                        // An empty claim is what ends the run.
                        continue;
                    }
                    if (running.Count > 0)
                    {
                        // Everything claimable belongs to running passes: look again when one ends (its people may
                        // have more) or when new work is signalled (someone else's), whichever comes first.
                        await Task.WhenAny([wake, .. running.Select(pass => pass.Completion)]);
                        continue;
                    }
                    await PruneWhenDueAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The queue itself failed (database unavailable): nothing is lost, the items stay due.
                    LogQueueFailed(exception);
                }
                await WakeSignal.WaitAsync(wake, settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await Task.WhenAll(running.Select(pass => pass.Completion)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Holds the next claim until <see cref="EvaluationOptions.BusyPassSpacing"/> after <paramref name="claimedAt"/>, for as
    /// long as work keeps arriving: once nothing has been queued in this process for <see cref="EvaluationOptions.BusyQuietGap"/>,
    /// the load has stopped, there is nothing more to gather into the next pass, and it is claimed at once. So the last
    /// readings of a busy spell wait for one quiet gap, not for the rest of the spacing: in the split bench the
    /// evaluation queue emptied 0.10–0.54 s after the last reading was stored (17 rounds on 28 November), much of it a
    /// spacing with nothing left to come. A signal missed between two waits only ends the hold early, which costs a
    /// smaller pass, never an alert.
    /// </summary>
    private async Task HoldWhileArrivingAsync(long claimedAt, EvaluationOptions settings, CancellationToken stoppingToken)
    {
        while (settings.BusyPassSpacing - time.GetElapsedTime(claimedAt) is var left && left > TimeSpan.Zero)
        {
            if (settings.BusyQuietGap <= TimeSpan.Zero)
            {
                await Task.Delay(left, time, stoppingToken);
                return;
            }
            var arrival = signal.Signal.Next;
            await WakeSignal.WaitAsync(arrival, left < settings.BusyQuietGap ? left : settings.BusyQuietGap, time, stoppingToken);
            if (!arrival.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>The people the running passes hold (each pass's are disjoint from the others').</summary>
    private static IReadOnlyCollection<string> PeopleHeld(List<RunningPass> running) => running.Count switch
    {
        0 => [],
        1 => running[0].Patients,
        _ => running.SelectMany(pass => pass.Patients).ToHashSet(StringComparer.Ordinal),
    };

    /// <summary>Takes the passes that ended off the list, and throws what the first failed one threw.</summary>
    private static async Task EndFinishedAsync(List<RunningPass> running)
    {
        foreach (var pass in running.Where(pass => pass.Completion.IsCompleted).ToList())
        {
            running.Remove(pass);
            await pass.Completion;
        }
    }

    /// <summary>
    /// One pass: every patient is decided, then the patients whose evaluation raised or changed an alert are recorded
    /// (their stored data handed to the followers, then one transaction), then everyone else the same way
    /// (<see cref="AlertEngine.EvaluatePassAsync(IReadOnlyList{PatientDueItems}, int, EvaluationPassHooks?, CancellationToken)"/>).
    /// An alert thus waits for its own group's few writes, not for the FHIR Observations of every reading in the pass.
    /// A pass costs a few transactions, not a few per patient, which is what keeps it short under load. Failures stay
    /// per patient: when following a group fails, each patient is followed alone, and a patient who still fails is
    /// deferred without holding up the others.
    /// </summary>
    private async Task EvaluatePassAsync(RunningPass pass, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = EvaluationMetrics.ActivitySource.StartActivity("evaluation pass");
        activity?.SetTag("telehealth.evaluation.items", pass.Due.Count);
        var patients = pass.Due.GroupBy(item => item.PatientId, StringComparer.Ordinal)
            .Select(patient => new PatientDueItems(patient.Key, patient.ToList())).ToList();
        activity?.SetTag("telehealth.evaluation.patients", patients.Count);
        var outcomes = await engine.EvaluatePassAsync(patients, options.Value.Parallelism, new EvaluationPassHooks
        {
            BeforeRecording = FollowGroupAsync,
            AlertsRecorded = () => pass.AlertsRecorded.TrySetResult(),
        }, cancellationToken);
        var now = time.GetUtcNow();
        for (var index = 0; index < outcomes.Count; index++)
        {
            var items = patients[index].Items;
            if (outcomes[index].Failure is { } failure)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failure.GetType().Name);
                await DeferAsync(patients[index], failure, cancellationToken);
                continue;
            }
            metrics.Evaluated(items.Count, outcomes[index].Recorded.Count,
                items.Select(item => now - (item.Reading?.ReceivedAt ?? item.Event?.ReceivedAt ?? now)));
        }
        metrics.Pass(time.GetElapsedTime(started), patients.Count);
    }

    /// <summary>
    /// The followers of stored data (the FHIR Observations) hear of a group of patients at once (one outbox
    /// transaction), before the group's evaluation is recorded: an item is done only once followed. When following the
    /// group fails, each patient is followed alone; the answer is each patient's failure, or null.
    /// </summary>
    private async Task<IReadOnlyList<Exception?>> FollowGroupAsync(IReadOnlyList<PatientDueItems> group, CancellationToken cancellationToken)
    {
        var failures = new Exception?[group.Count];
        try
        {
            await FollowAsync([.. group.SelectMany(patient => patient.Items)], cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && group.Count > 1)
        {
            for (var index = 0; index < group.Count; index++)
            {
                try
                {
                    await FollowAsync(group[index].Items, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    failures[index] = exception;
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            failures[0] = exception;
        }
        return failures;
    }

    private async Task DeferAsync(PatientDueItems patient, Exception exception, CancellationToken cancellationToken)
    {
        var items = patient.Items;
        metrics.Failed(items.Count);
        var attempts = items.Max(item => item.Attempts) + 1;
        var delay = RetryDelay(attempts);
        LogEvaluationFailed(exception, patient.PatientId, items.Count, attempts, delay);
        await queue.DeferAsync(items.Select(item => item.Sequence).ToList(), exception.GetType().Name, time.GetUtcNow() + delay, cancellationToken);
    }

    private async Task FollowAsync(IReadOnlyList<DueItem> items, CancellationToken cancellationToken)
    {
        // Idempotent followers (the FHIR outbox skips what it already holds): a retried item is followed again harmlessly.
        var readings = items.Where(item => item.Reading is not null).Select(item => item.Reading!).ToList();
        foreach (var follower in _followers)
        {
            if (readings.Count > 0)
            {
                await follower.OnReadingsStoredAsync(readings, cancellationToken);
            }
            foreach (var item in items.Where(item => item.Event is not null))
            {
                await follower.OnEventStoredAsync(item.Event!, cancellationToken);
            }
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var settings = options.Value;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var delay = TimeSpan.FromMilliseconds(settings.RetryDelay.TotalMilliseconds * factor);
        return delay > settings.MaxRetryDelay ? settings.MaxRetryDelay : delay;
    }

    private async Task PruneWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }
        _nextPrune = now + TimeSpan.FromHours(1);
        var removed = await queue.PruneAsync(now - options.Value.DoneRetention, cancellationToken);
        if (removed > 0)
        {
            LogPruned(removed);
        }
    }

    /// <summary>A pass under way: its items, its people, and when it stops holding up alerts and when it ends.</summary>
    /// <summary>
    /// Records a claim and answers the rate items arrived at: the items claimed after the oldest remembered claim, this one
    /// included, over the time since that claim began. Claims older than needed are forgotten: the oldest kept is the
    /// newest one at least <paramref name="window"/> old, so the rate spans at least that long once the worker has run
    /// that long. A standing clock (tests) gives an infinite rate, as one claim's items over no time did before.
    /// </summary>
    private double RateSince(Queue<(long At, int Items)> recentClaims, long claimedAt, int items, TimeSpan window)
    {
        recentClaims.Enqueue((claimedAt, items));
        while (recentClaims.Count > 2 && recentClaims.ElementAt(1) is var second && time.GetElapsedTime(second.At, claimedAt) >= window)
        {
            recentClaims.Dequeue();
        }
        var oldest = recentClaims.Peek();
        var arrived = recentClaims.Skip(1).Sum(claim => (long)claim.Items);
        var span = time.GetElapsedTime(oldest.At, claimedAt);
        return span > TimeSpan.Zero ? arrived / span.TotalSeconds : double.PositiveInfinity;
    }

    private sealed class RunningPass(IReadOnlyList<DueItem> due)
    {
        public IReadOnlyList<DueItem> Due { get; } = due;

        public HashSet<string> Patients { get; } = due.Select(item => item.PatientId).ToHashSet(StringComparer.Ordinal);

        public TaskCompletionSource AlertsRecorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating {Count} item(s) for patient {PatientId} failed (attempt {Attempts}); retrying in {Delay}")]
    private partial void LogEvaluationFailed(Exception exception, string patientId, int count, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The evaluation queue could not be read; due items stay queued")]
    private partial void LogQueueFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} evaluated queue item(s) past retention")]
    private partial void LogPruned(int count);
}
