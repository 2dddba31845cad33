using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Drains the outbox to the external FHIR server, one entry at a time in <c>seq</c> order.
/// Ordering policy, per patient:
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
            foreach (var write in page)
            {
                var entry = write.Entry;
                if (blocked.Contains(entry.PatientId))
                {
                    continue;
                }
                var result = await client.PushAsync(write, cancellationToken);
                switch (result.Outcome)
                {
                    case FhirPushOutcome.Sent:
                        await outbox.MarkSentAsync(entry.Seq, result.StatusCode ?? 200, result.Attempts, time.GetUtcNow(), cancellationToken);
                        LogSent(entry.Seq, entry.ResourceType, entry.ResourceId, result.StatusCode ?? 200, result.Attempts);
                        break;
                    case FhirPushOutcome.Rejected:
                        await outbox.MarkFailedAsync(entry.Seq, result.StatusCode ?? 400, result.Error ?? "", result.Attempts, cancellationToken);
                        LogRejected(entry.Seq, entry.ResourceType, entry.ResourceId, entry.PatientId, result.StatusCode ?? 400);
                        break;
                    case FhirPushOutcome.Transient:
                        await outbox.RecordTransientFailureAsync(entry.Seq, result.StatusCode, result.Error ?? "", result.Attempts, cancellationToken);
                        blocked.Add(entry.PatientId);
                        LogTransient(entry.Seq, entry.ResourceType, entry.ResourceId, entry.PatientId, result.StatusCode, result.Attempts);
                        break;
                    case FhirPushOutcome.CircuitOpen:
                        if (result.Attempts > 0)
                        {
                            await outbox.RecordTransientFailureAsync(entry.Seq, result.StatusCode, result.Error ?? "", result.Attempts, cancellationToken);
                        }
                        var breakFor = result.RetryAfter is { } after && after > TimeSpan.Zero ? after : _options.CircuitBreakerBreakDuration;
                        LogCircuitOpen(breakFor);
                        return new PassResult(AnyBlocked: true, breakFor);
                }
            }
        }
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
