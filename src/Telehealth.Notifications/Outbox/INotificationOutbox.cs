namespace Telehealth.Notifications.Outbox;

/// <summary>Durable queue of notifications (a table in the platform's SQLite file), delivered in order per target.</summary>
public interface INotificationOutbox
{
    /// <summary>Appends the requests not already queued (by <see cref="Channels.Notification.Key"/>, channel and address), in one transaction.</summary>
    /// <returns>How many were appended.</returns>
    Task<int> EnqueueAsync(IReadOnlyList<NotificationRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Pending entries, oldest first.</summary>
    Task<IReadOnlyList<NotificationOutboxEntry>> PendingAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Records a pass: its status, attempts, the answer, and when to try again (pending only).</summary>
    Task RecordPassAsync(long seq, NotificationStatus status, int attempts, int? statusCode, string? error, DateTimeOffset nextAttemptAt, DateTimeOffset? completedAt, CancellationToken cancellationToken = default);

    /// <summary>The outcome of every pass up to <paramref name="passes"/> is in the alert event log.</summary>
    Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default);

    /// <summary>Entries with a pass not yet in the alert event log (a crash came between the two).</summary>
    Task<IReadOnlyList<NotificationOutboxEntry>> UnrecordedAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Entries of one alert, oldest first (what was sent to whom).</summary>
    Task<IReadOnlyList<NotificationOutboxEntry>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>Newest first, optionally of one status.</summary>
    Task<IReadOnlyList<NotificationOutboxEntry>> ListAsync(NotificationStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes at the next append. Take it before reading what is pending and wait on it after, so an entry
    /// appended in between is never slept through.
    /// </summary>
    Task NextEntry { get; }
}
