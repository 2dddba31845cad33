using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Ingest.Pipeline;

/// <summary>
/// Readings from many devices meet in one bounded channel and are written in batches; each submitter is
/// answered only after its readings are durably stored and durably queued for evaluation (or the write failed, so it
/// can be retried). Evaluation itself happens later, off the acknowledgement path, in the alert core's worker, which
/// <see cref="IEvaluationSignal"/> wakes. Events are rare and urgent, so they are written one at a time.
/// </summary>
public sealed partial class IngestPipeline : BackgroundService, IIngestSink
{
    private readonly Channel<PendingSubmission> _queue;
    private readonly IReadingStore _readings;
    private readonly ITelecareEventStore _events;
    private readonly IConsciousnessStore _consciousness;
    private readonly IStoredDataObserver[] _observers;
    private readonly IEvaluationQueue _evaluationQueue;
    private readonly IEvaluationSignal _evaluationSignal;
    private readonly IngestOptions _options;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<IngestPipeline> _logger;

    public IngestPipeline(
        IReadingStore readings,
        ITelecareEventStore events,
        IConsciousnessStore consciousness,
        IEnumerable<IStoredDataObserver> observers,
        IEvaluationQueue evaluationQueue,
        IEvaluationSignal evaluationSignal,
        IOptions<IngestOptions> options,
        IngestMetrics metrics,
        ILogger<IngestPipeline> logger)
    {
        _readings = readings;
        _events = events;
        _consciousness = consciousness;
        // Device status reports are queued for evaluation, and also go to the observers directly.
        _observers = observers.ToArray();
        _evaluationQueue = evaluationQueue;
        _evaluationSignal = evaluationSignal;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingSubmission>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public async ValueTask<ReadingSubmissionResult> SubmitReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        if (readings.Count == 0)
        {
            return ReadingSubmissionResult.Nothing;
        }
        var submission = new PendingSubmission(readings);
        await _queue.Writer.WriteAsync(submission, cancellationToken);
        return await submission.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask<bool> SubmitEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default)
    {
        // The event store queues a new event for evaluation in the transaction that stores it.
        var isNew = await _events.AppendAsync(telecareEvent, cancellationToken);
        if (isNew)
        {
            _evaluationSignal.Notify();
        }
        return isNew;
    }

    /// <summary>
    /// Stored directly (rare, one per message); the store queues a new assessment for evaluation in the same
    /// transaction, so NEWS2 is re-scored with it at once rather than at the person's next reading.
    /// </summary>
    public async ValueTask<ConsciousnessAppendResult> SubmitConsciousnessAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default)
    {
        var result = await _consciousness.AppendAsync(observation, cancellationToken);
        if (result == ConsciousnessAppendResult.Stored)
        {
            _evaluationSignal.Notify();
        }
        return result;
    }

    public async ValueTask SubmitStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        // Queued before the device is acknowledged: a heartbeat is what tells the care record the device is alive
        // (silence) and charged (battery), so it must not be lost to a crash either.
        await _evaluationQueue.EnqueueStatusAsync(status, cancellationToken);
        _evaluationSignal.Notify();
        await NotifyAsync(o => o.OnStatusAsync(status, cancellationToken), status.PatientId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingSubmission>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var readingCount = 0;
                using var flushWindow = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                flushWindow.CancelAfter(_options.FlushInterval);
                while (readingCount < _options.MaxBatchReadings)
                {
                    if (reader.TryRead(out var next))
                    {
                        batch.Add(next);
                        readingCount += next.Readings.Count;
                        continue;
                    }
                    if (_options.FlushInterval == TimeSpan.Zero)
                    {
                        break;
                    }
                    try
                    {
                        if (!await reader.WaitToReadAsync(flushWindow.Token))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        break; // flush interval over: write what we have
                    }
                }
                await WriteBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever is still queued was never stored: fail it so the transports withhold their acks.
            while (reader.TryRead(out var left))
            {
                left.Completion.TrySetCanceled(CancellationToken.None);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingSubmission> batch, CancellationToken cancellationToken)
    {
        var all = batch.SelectMany(s => s.Readings).ToList();
        using var activity = IngestMetrics.ActivitySource.StartActivity("write batch");
        activity?.SetTag("telehealth.ingest.readings", all.Count);
        ReadingAppendResult stored;
        try
        {
            if (_readings.QueuesEvaluation)
            {
                stored = await _readings.AppendAsync(all, cancellationToken);
            }
            else if (_evaluationQueue is IReadingAdmissions admissions)
            {
                // The care record first (its transaction open across the write): it tells the store which readings no
                // acknowledged delivery ever brought, so the store asks about the rest only (redeliveries, conflicts,
                // readings older than what the care record vouches for); then the store's new readings are queued and
                // all of it committed. A crash before the commit leaves the care record as if the batch never came.
                await using var admission = await admissions.AdmitAsync(all, cancellationToken);
                stored = await _readings.AppendAsync(all, admission.NeverAcknowledged, cancellationToken);
                CrashPoints.Reach(CrashPoints.StoredNotAdmitted);
                await admission.CommitAsync(stored, cancellationToken);
            }
            else
            {
                stored = await _readings.AppendAsync(all, cancellationToken);
                // Every reading of the batch, repeats included: a repeat may be the redelivery of a message whose
                // first delivery was stored but never queued (a crash between the two writes). The queue ignores
                // what it already holds, so nothing is evaluated twice. Conflicts were not stored: never queued.
                var notStored = stored.Conflicts.Concat(stored.Refused.Select(r => r.Reading)).ToHashSet();
                await _evaluationQueue.EnqueueReadingsAsync(all.Where(reading => !notStored.Contains(reading)).ToList(), cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.StoreFailed();
            LogStoreFailed(_logger, exception, all.Count);
            foreach (var submission in batch)
            {
                submission.Completion.TrySetException(exception);
            }
            return;
        }
        _metrics.BatchWritten(all.Count, stored.Count);
        CrashPoints.Reach(CrashPoints.AfterStore);
        // A PUBACK now means "stored and due for evaluation"; the worker evaluates it, retrying until done.
        _evaluationSignal.Notify();

        // Each submission is answered with its own share: new readings by identity, conflicts by the reading itself
        // (submissions are in arrival order, so the first submitter of an identity is the one whose value was stored).
        var unclaimed = stored.GroupBy(ReadingKey.Of).ToDictionary(g => g.Key, g => g.Count());
        var unclaimedConflicts = stored.Conflicts.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var unclaimedRefusals = stored.Refused.GroupBy(r => r.Reading).ToDictionary(g => g.Key, g => new Queue<string>(g.Select(r => r.Reason)));
        foreach (var submission in batch)
        {
            var newInSubmission = 0;
            var conflicts = new List<Reading>();
            var refused = new List<(Reading, string)>();
            foreach (var reading in submission.Readings)
            {
                var key = ReadingKey.Of(reading);
                if (unclaimed.TryGetValue(key, out var left) && left > 0)
                {
                    unclaimed[key] = left - 1;
                    newInSubmission++;
                }
                else if (unclaimedConflicts.TryGetValue(reading, out var conflictsLeft) && conflictsLeft > 0)
                {
                    unclaimedConflicts[reading] = conflictsLeft - 1;
                    conflicts.Add(reading);
                }
                else if (unclaimedRefusals.TryGetValue(reading, out var reasons) && reasons.Count > 0)
                {
                    refused.Add((reading, reasons.Dequeue()));
                }
            }
            submission.Completion.TrySetResult(new ReadingSubmissionResult(newInSubmission, conflicts) { Refused = refused });
        }
    }

    private async Task NotifyAsync(Func<IStoredDataObserver, Task> notify, string patientId)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await notify(observer);
            }
            catch (Exception exception)
            {
                // The data is stored; an observer failing must not make the device send it again as a duplicate,
                // nor keep the next observer (the alert core) from seeing it.
                LogObserverFailed(_logger, exception, patientId, observer.GetType().Name);
            }
        }
    }

    private sealed class PendingSubmission(IReadOnlyList<Reading> readings)
    {
        public IReadOnlyList<Reading> Readings { get; } = readings;

        public TaskCompletionSource<ReadingSubmissionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct ReadingKey(string DeviceId, VitalKind Kind, DateTimeOffset DeviceTime)
    {
        public static ReadingKey Of(Reading reading) => new(reading.DeviceId, reading.Kind, reading.DeviceTime);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a batch of {Count} readings failed; submitters will retry")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Observer} failed for patient {PatientId} after storing")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string patientId, string observer);
}
