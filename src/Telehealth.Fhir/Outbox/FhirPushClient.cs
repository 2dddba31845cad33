using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Sends one outbox entry as a FHIR conditional update, <c>PUT {base}/{type}?identifier={system}|{value}</c>, through
/// a resilience pipeline: retry with exponential backoff and jitter (honouring Retry-After), a circuit breaker so a
/// failing server is not hammered, and a timeout per attempt. Answers what happened; never throws for HTTP failures.
/// </summary>
public sealed class FhirPushClient
{
    public const string HttpClientName = "FhirPush";

    private const string FhirJson = "application/fhir+json";

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public FhirPushClient(HttpClient http, IOptions<FhirPushOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (!settings.PushEnabled)
        {
            throw new InvalidOperationException("Fhir:Server is not configured; pushing is off.");
        }
        _http = http;
        // A trailing slash makes relative type paths resolve under the base (…/R4/Observation, not …/Observation).
        _base = new Uri(settings.Server!.EndsWith('/') ? settings.Server : settings.Server + "/");
        _pipeline = BuildPipeline(settings, time);
    }

    public async Task<FhirPushResult> PushAsync(PendingFhirWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var entry = write.Entry;
        var uri = new Uri(_base, $"{entry.ResourceType}?identifier={Uri.EscapeDataString(SearchToken(entry.IdentifierSystem, entry.IdentifierValue))}");
        var attempts = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                // A request message can be sent once: each attempt builds its own.
                using var request = new HttpRequestMessage(HttpMethod.Put, uri)
                {
                    Content = new StringContent(write.Json, Encoding.UTF8, FhirJson),
                };
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            }, cancellationToken);

            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new FhirPushResult(FhirPushOutcome.Sent, code, attempts, Error: null);
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = string.IsNullOrWhiteSpace(body) ? $"HTTP {code} {response.ReasonPhrase}" : body;
            return IsTransient(response.StatusCode)
                ? new FhirPushResult(FhirPushOutcome.Transient, code, attempts, error)
                : new FhirPushResult(FhirPushOutcome.Rejected, code, attempts, error);
        }
        catch (BrokenCircuitException open)
        {
            return new FhirPushResult(FhirPushOutcome.CircuitOpen, StatusCode: null, attempts, "Circuit open: " + open.Message, open.RetryAfter);
        }
        catch (Exception failure) when (IsTransient(failure) && !cancellationToken.IsCancellationRequested)
        {
            return new FhirPushResult(FhirPushOutcome.Transient, StatusCode: null, attempts, $"{failure.GetType().Name}: {failure.Message}");
        }
    }

    /// <summary>
    /// FHIR search token <c>system|value</c>; a '|', ',', '$' or '\' inside either part is escaped with '\' as the
    /// FHIR search rules require, so an identifier value may contain them.
    /// </summary>
    public static string SearchToken(string system, string value) => Escape(system) + "|" + Escape(value);

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransient(Exception failure) =>
        failure is HttpRequestException or TimeoutRejectedException or IOException or TaskCanceledException;

    private static string Escape(string part) =>
        part.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("|", @"\|", StringComparison.Ordinal)
            .Replace(",", @"\,", StringComparison.Ordinal)
            .Replace("$", @"\$", StringComparison.Ordinal);

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(FhirPushOptions settings, TimeProvider time)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<IOException>()
            .HandleResult(response => IsTransient(response.StatusCode));

        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            // Outermost: retries see the breaker's verdict; a BrokenCircuitException is not retried (it ends the send).
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                // 429/503 with Retry-After: the server said when; wait that long (capped), not our own guess.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time, settings.RetryMaxDelay)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = settings.CircuitBreakerFailureRatio,
                MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
                SamplingDuration = settings.CircuitBreakerSamplingDuration,
                BreakDuration = settings.CircuitBreakerBreakDuration,
            })
            .AddTimeout(settings.RequestTimeout)
            .Build();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } header)
        {
            return null;
        }
        var wait = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } delay ? TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, cap.Ticks)) : null;
    }
}
