namespace Telehealth.Contracts.Outbox;

/// <summary>
/// One delivery pass of one row, to record (<see cref="IOutboxStore.RecordPassesAsync"/>): the new status, the attempts
/// it made, the receiver's answer, when to try again (null: unchanged) and when it was completed (delivered or given up on).
/// </summary>
public sealed record OutboxPass(
    long Seq,
    OutboxStatus Status,
    int Attempts,
    int? StatusCode,
    string? Error,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt);
