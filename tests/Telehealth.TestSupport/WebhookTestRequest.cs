namespace Telehealth.TestSupport;

/// <summary>One request the webhook receiver got, in arrival order, with how it answered (0 when it hung up on a timeout).</summary>
public sealed record WebhookTestRequest(
    long Arrival,
    string Target,
    string? Timestamp,
    string? Signature,
    string? Delivery,
    string? ContentType,
    byte[] Body,
    DateTimeOffset ReceivedAt,
    int AnsweredWith)
{
    public bool Accepted => AnsweredWith is >= 200 and < 300;
}
