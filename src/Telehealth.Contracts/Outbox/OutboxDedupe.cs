namespace Telehealth.Contracts.Outbox;

/// <summary>When an enqueued message is the same as one already there, and so is not appended.</summary>
public enum OutboxDedupe
{
    /// <summary>Any message of the same kind and key exists (a notification step queued again after a replay).</summary>
    OncePerKey,

    /// <summary>
    /// The newest message of the same kind and key has exactly this payload and is pending or sent (a resource version
    /// that is going to arrive, or has); a changed or failed one is appended after it, so versions go in order.
    /// </summary>
    UnlessNewestIsSame,
}
