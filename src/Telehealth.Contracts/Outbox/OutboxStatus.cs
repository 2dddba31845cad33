namespace Telehealth.Contracts.Outbox;

public enum OutboxStatus
{
    /// <summary>Waiting for its first or next delivery (also after a transient failure).</summary>
    Pending,

    /// <summary>Delivered: accepted by the receiver. Kept for <c>Storage:DeliveredOutboxRetention</c>, then swept.</summary>
    Sent,

    /// <summary>Refused, or given up on: kept with the last answer, never sent again.</summary>
    Failed,
}
