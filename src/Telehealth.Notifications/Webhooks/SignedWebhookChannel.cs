using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Webhooks;

/// <summary>
/// POSTs a notification as JSON to a named target, signed with that target's secret (<see cref="WebhookSignature"/>).
/// Each attempt is signed afresh, so a retry carries a current timestamp. Retries with exponential back-off and
/// jitter on 5xx, 408, 429, timeouts and connection errors, waiting as long as a Retry-After asks (capped); any other
/// 4xx is a rejection, kept with the receiver's answer.
/// </summary>
public sealed class SignedWebhookChannel : INotificationChannel
{
    public const string HttpClientName = "NotificationWebhooks";

    private const int MaxErrorLength = 1000;

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SignedWebhookChannel(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _pipeline = BuildPipeline(_options, time);
    }

    public string Kind => NotificationChannels.Webhook;

    public async Task<NotificationResult> SendAsync(Notification notification, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!_options.Targets.TryGetValue(address, out var target) || target.Url is null || target.Secret is null)
        {
            return new NotificationResult(NotificationOutcome.Rejected, null, 0, "unknown_webhook_target");
        }
        var body = NotificationContent.WebhookBody(notification);
        var uri = new Uri(target.Url);
        var attempts = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(target.Secret, timestamp, body));
                request.Headers.Add(WebhookSignature.DeliveryHeader, notification.Id.ToString());
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            }, cancellationToken);

            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return NotificationResult.Delivered(code, attempts);
            }
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = Cap(string.IsNullOrWhiteSpace(answer) ? $"HTTP {code} {response.ReasonPhrase}" : $"HTTP {code}: {answer}");
            return IsTransient(response.StatusCode)
                ? new NotificationResult(NotificationOutcome.Transient, code, attempts, error, RetryAfter(response, _time, _options.RetryMaxDelay))
                : new NotificationResult(NotificationOutcome.Rejected, code, attempts, error);
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new NotificationResult(NotificationOutcome.Transient, null, attempts, Cap($"{failure.GetType().Name}: {failure.Message}"));
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(WebhookOptions settings, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                // 429/503 with Retry-After: the receiver said when; wait that long (capped), not our own guess.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time, settings.RetryMaxDelay)),
            });
        }
        return builder.AddTimeout(settings.RequestTimeout).Build();
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

    private static string Cap(string text) => text.Length > MaxErrorLength ? text[..MaxErrorLength] : text;
}
