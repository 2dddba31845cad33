namespace Telehealth.Notifications.Channels;

/// <param name="StatusCode">SMTP reply code or HTTP status of the last attempt, when there was an answer.</param>
/// <param name="Attempts">Connections or requests made in this send (retries included).</param>
/// <param name="Error">The receiver's answer or the failure, capped; null when delivered. Never the message.</param>
/// <param name="RetryAfter">What the receiver asked for (HTTP Retry-After) on a transient failure.</param>
public sealed record NotificationResult(NotificationOutcome Outcome, int? StatusCode, int Attempts, string? Error, TimeSpan? RetryAfter = null)
{
    public static NotificationResult Delivered(int? statusCode, int attempts) => new(NotificationOutcome.Delivered, statusCode, attempts, null);
}
