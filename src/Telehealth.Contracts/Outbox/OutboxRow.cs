namespace Telehealth.Contracts.Outbox;

/// <summary>One stored outbox message and what has happened to it so far.</summary>
/// <param name="Passes">Delivery passes recorded (each may have made several attempts).</param>
/// <param name="Attempts">Connections or requests made over all passes.</param>
/// <param name="RecordedPasses">Passes whose outcome the adapter has recorded elsewhere (the alert event log).</param>
/// <param name="CompletedAt">When it was delivered or given up on.</param>
public sealed record OutboxRow(
    long Seq,
    string Kind,
    string Subject,
    string Key,
    string? CorrelationId,
    string Header,
    string Payload,
    OutboxStatus Status,
    int Passes,
    int Attempts,
    int RecordedPasses,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
