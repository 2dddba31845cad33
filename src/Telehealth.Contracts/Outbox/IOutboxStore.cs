namespace Telehealth.Contracts.Outbox;

/// <summary>
/// One durable outbox for every kind of outgoing message (FHIR writes, notifications): rows in <c>seq</c> order, with
/// payload, kind, status and attempt columns. Each adapter keeps only its mapping to and from <see cref="OutboxMessage"/>
/// and its own delivery loop; delivered rows are swept after a retention (<see cref="PruneDeliveredAsync"/>).
/// </summary>
public interface IOutboxStore
{
    /// <summary>Appends the messages in order, in one transaction, leaving out those <paramref name="dedupe"/> says are there.</summary>
    /// <returns>How many were appended.</returns>
    Task<int> EnqueueAsync(string kind, IReadOnlyList<OutboxMessage> messages, OutboxDedupe dedupe, CancellationToken cancellationToken = default);

    /// <summary>Pending rows of the kind, oldest first, leaving out <paramref name="excludedSubjects"/> (held behind a failing row).</summary>
    Task<IReadOnlyList<OutboxRow>> PendingAsync(string kind, int limit, IReadOnlyCollection<string>? excludedSubjects = null, CancellationToken cancellationToken = default);

    /// <summary>Rows with a pass whose outcome is not yet recorded, oldest first.</summary>
    Task<IReadOnlyList<OutboxRow>> UnrecordedAsync(string kind, int limit, CancellationToken cancellationToken = default);

    /// <summary>Rows of one correlation id, oldest first.</summary>
    Task<IReadOnlyList<OutboxRow>> ForCorrelationAsync(string kind, string correlationId, CancellationToken cancellationToken = default);

    /// <summary>Rows, optionally of one status and of some subjects only; oldest first or newest first.</summary>
    Task<IReadOnlyList<OutboxRow>> ListAsync(string kind, OutboxStatus? status, int limit, IReadOnlyCollection<string>? subjects, bool newestFirst, CancellationToken cancellationToken = default);

    /// <summary>Whether any row of the kind (whatever its status) has this key.</summary>
    Task<bool> ContainsAsync(string kind, string key, CancellationToken cancellationToken = default);

    /// <param name="subjects">Only these subjects' rows; null for all.</param>
    Task<OutboxCounts> CountAsync(string kind, IReadOnlyCollection<string>? subjects = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a delivery pass: the new status, the attempts it made, the receiver's answer, when to try again
    /// (null: unchanged) and when it was completed (delivered or given up on).
    /// </summary>
    Task RecordPassAsync(long seq, OutboxStatus status, int attempts, int? statusCode, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset? completedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records several passes in one transaction, in the order given, each as <see cref="RecordPassAsync"/> would: a
    /// pusher that sends many rows at once records them together rather than paying a commit per row.
    /// </summary>
    Task RecordPassesAsync(IReadOnlyList<OutboxPass> passes, CancellationToken cancellationToken = default);

    /// <summary>The outcome of every pass up to <paramref name="passes"/> has been recorded elsewhere.</summary>
    Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default);

    /// <summary>Deletes delivered rows completed before <paramref name="before"/>; pending and failed rows stay. Returns how many.</summary>
    Task<int> PruneDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
