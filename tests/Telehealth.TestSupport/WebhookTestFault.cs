namespace Telehealth.TestSupport;

/// <summary>How the webhook receiver answers one request instead of 200: a status (with Retry-After seconds), or a hang longer than the sender's timeout.</summary>
public sealed record WebhookTestFault(int StatusCode, int? RetryAfterSeconds = null, TimeSpan? Hang = null)
{
    public static WebhookTestFault Status(int statusCode, int? retryAfterSeconds = null) => new(statusCode, retryAfterSeconds);

    public static WebhookTestFault Timeout(TimeSpan hang) => new(200, null, hang);
}
