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
/// acknowledgement path. For each patient, the followers of stored data (the FHIR Observations) run first, then the
/// alert engine, which records its alerts and marks the items done in one transaction. A failure defers that
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
    private readonly IStoredDataObserver[] _followers = storedDataFollowers.ToArray();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Signal.Next;
            try
            {
                var due = await queue.ClaimAsync(settings.MaxItemsPerPass, time.GetUtcNow(), stoppingToken);
                foreach (var patient in due.GroupBy(item => item.PatientId, StringComparer.Ordinal))
                {
                    await EvaluatePatientAsync(patient.Key, patient.ToList(), stoppingToken);
                }
                await PruneWhenDueAsync(stoppingToken);
                if (due.Count == settings.MaxItemsPerPass)
                {
                    continue; // more is waiting
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The queue itself failed (database unavailable): nothing is lost, the items stay due.
                LogQueueFailed(exception);
            }
            await WakeSignal.WaitAsync(wake, settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task EvaluatePatientAsync(string patientId, List<DueItem> items, CancellationToken cancellationToken)
    {
        using var activity = EvaluationMetrics.ActivitySource.StartActivity("evaluate patient");
        activity?.SetTag("telehealth.patient.id", patientId);
        activity?.SetTag("telehealth.evaluation.items", items.Count);
        try
        {
            await FollowAsync(items, cancellationToken);
            var recorded = await engine.EvaluateDueAsync(patientId, items, cancellationToken);
            var now = time.GetUtcNow();
            metrics.Evaluated(items.Count, recorded.Count,
                items.Select(item => now - (item.Reading?.ReceivedAt ?? item.Event?.ReceivedAt ?? now)));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
            metrics.Failed(items.Count);
            var attempts = items.Max(item => item.Attempts) + 1;
            var delay = RetryDelay(attempts);
            LogEvaluationFailed(exception, patientId, items.Count, attempts, delay);
            await queue.DeferAsync(items.Select(item => item.Sequence).ToList(), exception.GetType().Name, time.GetUtcNow() + delay, cancellationToken);
        }
    }

    private async Task FollowAsync(List<DueItem> items, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating {Count} item(s) for patient {PatientId} failed (attempt {Attempts}); retrying in {Delay}")]
    private partial void LogEvaluationFailed(Exception exception, string patientId, int count, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The evaluation queue could not be read; due items stay queued")]
    private partial void LogQueueFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} evaluated queue item(s) past retention")]
    private partial void LogPruned(int count);
}
