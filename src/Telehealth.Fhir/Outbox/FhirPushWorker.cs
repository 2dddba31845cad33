using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Drains the outbox to the external FHIR server in <c>seq</c> order per patient, several patients at a time
/// (<see cref="FhirPushOptions.MaxConcurrentPushes"/>). Ordering policy, per patient:
/// <list type="bullet">
/// <item>A transient failure (5xx, 408, 429, timeout, connection error, open circuit) leaves the entry pending and
/// blocks the rest of that patient's entries until it goes through, so a later version of a Flag or Task, or a
/// RiskAssessment, never overtakes what it follows. Other patients carry on.</item>
/// <item>A rejection (other 4xx) marks the entry failed with the server's OperationOutcome and does not block: the
/// same content would be rejected forever, and one malformed resource must not stop a person's vital signs reaching
/// the care record. A failed entry is never re-sent automatically, so it cannot overtake a later version either.</item>
/// </list>
/// With no client (Fhir:Server empty) it does nothing; nothing is queued then either (see AddTelehealthFhirOutbox).
/// </summary>
public sealed partial class FhirPushWorker(
    IFhirOutbox outbox,
    FhirPushClient? client,
    IOptions<FhirPushOptions> options,
    TimeProvider time,
    ILogger<FhirPushWorker> logger) : BackgroundService
{
    private readonly FhirPushOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (client is null)
        {
            LogPushOff();
            return;
        }
        LogStarted(_options.Server!);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DrainAsync(client, stoppingToken) switch
                {
                    { ServerUnavailableFor: { } breakFor } => breakFor,
                    { AnyBlocked: true } => _options.BlockedRetryInterval,
                    _ => TimeSpan.Zero,
                };
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The outbox itself failed (database busy or gone): nothing is lost, try again shortly.
                LogPassFailed(exception);
                wait = _options.BlockedRetryInterval;
            }
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    // Blocked or breaker open: new entries wait too, so a failing server is not woken by every reading.
                    await Task.Delay(wait, time, stoppingToken);
                }
                else
                {
                    await outbox.WaitForNewEntriesAsync(_options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>One pass over everything pending that is not blocked.</summary>
    private async Task<PassResult> DrainAsync(FhirPushClient client, CancellationToken cancellationToken)
    {
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await outbox.GetPendingAsync(_options.BatchSize, blocked, cancellationToken);
            if (page.Count == 0)
            {
                return new PassResult(blocked.Count > 0, ServerUnavailableFor: null);
            }
            var pushed = await PushPageAsync(client, page, cancellationToken);
            // Outcomes are recorded here, together and in seq order, not by the lanes: one transaction for the page
            // rather than a commit per entry, and the outbox's store written by one caller at a time.
            var records = new List<FhirPushRecord>(pushed.Count);
            TimeSpan? breakFor = null;
            var now = time.GetUtcNow();
            foreach (var (write, result) in pushed)
            {
                var entry = write.Entry;
                switch (result.Outcome)
                {
                    case FhirPushOutcome.Sent:
                        records.Add(new FhirPushRecord(entry.Seq, FhirOutboxStatus.Sent, result.Attempts, result.StatusCode ?? 200, null, now));
                        LogSent(entry.Seq, entry.ResourceType, entry.ResourceId, result.StatusCode ?? 200, result.Attempts);
                        break;
                    case FhirPushOutcome.Rejected:
                        records.Add(new FhirPushRecord(entry.Seq, FhirOutboxStatus.Failed, result.Attempts, result.StatusCode ?? 400, result.Error ?? "", null));
                        LogRejected(entry.Seq, entry.ResourceType, entry.ResourceId, entry.PatientId, result.StatusCode ?? 400);
                        break;
                    case FhirPushOutcome.Transient:
                        records.Add(new FhirPushRecord(entry.Seq, FhirOutboxStatus.Pending, result.Attempts, result.StatusCode, result.Error ?? "", null));
                        blocked.Add(entry.PatientId);
                        LogTransient(entry.Seq, entry.ResourceType, entry.ResourceId, entry.PatientId, result.StatusCode, result.Attempts);
                        break;
                    case FhirPushOutcome.CircuitOpen:
                        if (result.Attempts > 0)
                        {
                            records.Add(new FhirPushRecord(entry.Seq, FhirOutboxStatus.Pending, result.Attempts, result.StatusCode, result.Error ?? "", null));
                        }
                        breakFor ??= result.RetryAfter is { } after && after > TimeSpan.Zero ? after : _options.CircuitBreakerBreakDuration;
                        break;
                }
            }
            await outbox.RecordAsync(records, cancellationToken);
            if (breakFor is { } pause)
            {
                LogCircuitOpen(pause);
                return new PassResult(AnyBlocked: true, pause);
            }
        }
    }

    /// <summary>
    /// Pushes a page in lanes, one per person and at most <see cref="FhirPushOptions.MaxConcurrentPushes"/> at once:
    /// within a lane in seq order, each entry only after the one before it went through, so a later version or a
    /// resource that refers to an earlier one never overtakes it. A lane stops at its first transient failure (the
    /// person waits behind it); every lane stops taking entries once the circuit is open.
    /// </summary>
    /// <returns>What each entry that was tried came to, in seq order.</returns>
    private async Task<List<(PendingFhirWrite Write, FhirPushResult Result)>> PushPageAsync(
        FhirPushClient client, IReadOnlyList<PendingFhirWrite> page, CancellationToken cancellationToken)
    {
        // GroupBy keeps the page's order within each person.
        var lanes = page.GroupBy(write => write.Entry.PatientId, StringComparer.Ordinal).Select(lane => lane.ToArray()).ToArray();
        var outcomes = new List<(PendingFhirWrite Write, FhirPushResult Result)>[lanes.Length];
        var circuitOpen = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, lanes.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentPushes, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var tried = outcomes[index] = [];
                foreach (var write in lanes[index])
                {
                    if (Volatile.Read(ref circuitOpen) == 1)
                    {
                        return;
                    }
                    var result = await client.PushAsync(write, token);
                    tried.Add((write, result));
                    if (result.Outcome == FhirPushOutcome.CircuitOpen)
                    {
                        Volatile.Write(ref circuitOpen, 1);
                        return;
                    }
                    if (result.Outcome == FhirPushOutcome.Transient)
                    {
                        return;
                    }
                }
            });
        return [.. outcomes.Where(tried => tried is not null).SelectMany(tried => tried).OrderBy(outcome => outcome.Write.Entry.Seq)];
    }

    private sealed record PassResult(bool AnyBlocked, TimeSpan? ServerUnavailableFor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fhir:Server is empty: FHIR resources are served at /fhir and not queued for pushing")]
    private partial void LogPushOff();

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushing the FHIR outbox to {Server}")]
    private partial void LogStarted(string server);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox entry {Seq} ({ResourceType}/{ResourceId}) sent: HTTP {StatusCode} after {Attempts} attempt(s)")]
    private partial void LogSent(long seq, string resourceType, string resourceId, int statusCode, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "FHIR server rejected outbox entry {Seq} ({ResourceType}/{ResourceId}) of patient {PatientId}: HTTP {StatusCode}; kept as failed")]
    private partial void LogRejected(long seq, string resourceType, string resourceId, string patientId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox entry {Seq} ({ResourceType}/{ResourceId}) not sent yet (HTTP {StatusCode}, {Attempts} attempt(s)); patient {PatientId} waits behind it")]
    private partial void LogTransient(long seq, string resourceType, string resourceId, string patientId, int? statusCode, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FHIR server circuit open; pushing pauses for {BreakFor}")]
    private partial void LogCircuitOpen(TimeSpan breakFor);

    [LoggerMessage(Level = LogLevel.Error, Message = "FHIR outbox pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
