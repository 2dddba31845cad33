using System.Text.Json;
using Telehealth.Contracts.Outbox;
using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Outbox;

/// <summary>
/// The notification outbox on the platform's one outbox (<see cref="IOutboxStore"/>, kind <c>notification</c>): this
/// class only maps a delivery to a message and back. (key, channel, address) is the message key, so queueing the same
/// escalation step again (a follower replaying the log after a crash) adds nothing.
/// </summary>
public sealed class NotificationOutbox(IOutboxStore store) : INotificationOutbox
{
    public const string Kind = "notification";

    private const int MaxErrorLength = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _signalLock = new();
    private TaskCompletionSource _newEntries = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<int> EnqueueAsync(IReadOnlyList<NotificationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var appended = await store.EnqueueAsync(Kind, [.. requests.Select(ToMessage)], OutboxDedupe.OncePerKey, cancellationToken);
        if (appended > 0)
        {
            Signal();
        }
        return appended;
    }

    public async Task<IReadOnlyList<NotificationOutboxEntry>> PendingAsync(int limit, CancellationToken cancellationToken = default) =>
        [.. (await store.PendingAsync(Kind, limit, null, cancellationToken)).Select(ToEntry)];

    public async Task<IReadOnlyList<NotificationOutboxEntry>> UnrecordedAsync(int limit, CancellationToken cancellationToken = default) =>
        [.. (await store.UnrecordedAsync(Kind, limit, cancellationToken)).Select(ToEntry)];

    public async Task<IReadOnlyList<NotificationOutboxEntry>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        [.. (await store.ForCorrelationAsync(Kind, alertId.ToString(), cancellationToken)).Select(ToEntry)];

    public async Task<IReadOnlyList<NotificationOutboxEntry>> ListAsync(NotificationStatus? status, int limit, CancellationToken cancellationToken = default) =>
        [.. (await store.ListAsync(Kind, status is { } s ? ToStatus(s) : null, limit, null, newestFirst: true, cancellationToken)).Select(ToEntry)];

    public Task RecordPassAsync(long seq, NotificationStatus status, int attempts, int? statusCode, string? error, DateTimeOffset nextAttemptAt, DateTimeOffset? completedAt, CancellationToken cancellationToken = default) =>
        store.RecordPassAsync(seq, ToStatus(status), attempts, statusCode, error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error, nextAttemptAt, completedAt, cancellationToken);

    public Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default) =>
        store.MarkRecordedAsync(seq, passes, cancellationToken);

    public Task NextEntry
    {
        get
        {
            lock (_signalLock)
            {
                return _newEntries.Task;
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (_signalLock)
        {
            fired = _newEntries;
            _newEntries = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    private static OutboxMessage ToMessage(NotificationRequest request) => new(
        request.Notification.PatientRef,
        // char 31 (unit separator) cannot occur in a key, a channel name or an address.
        string.Join('\u001f', request.Notification.Key, request.Channel, request.Address),
        request.Notification.AlertId.ToString(),
        JsonSerializer.Serialize(new Header(request.Notification.Recipient, request.Channel, request.Address), Json),
        JsonSerializer.Serialize(request.Notification, Json));

    private static NotificationOutboxEntry ToEntry(OutboxRow row)
    {
        var header = JsonSerializer.Deserialize<Header>(row.Header, Json)
            ?? throw new InvalidDataException($"Notification outbox entry {row.Seq} has no header.");
        var notification = JsonSerializer.Deserialize<Notification>(row.Payload, Json)
            ?? throw new InvalidDataException($"Notification outbox entry {row.Seq} has an empty payload.");
        return new NotificationOutboxEntry(row.Seq, notification, header.Channel, header.Address, ToNotificationStatus(row.Status),
            row.Passes, row.Attempts, row.RecordedPasses, row.LastStatusCode, row.LastError, row.NextAttemptAt, row.CreatedAt, row.CompletedAt);
    }

    private static OutboxStatus ToStatus(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => OutboxStatus.Pending,
        NotificationStatus.Sent => OutboxStatus.Sent,
        NotificationStatus.Failed => OutboxStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static NotificationStatus ToNotificationStatus(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => NotificationStatus.Pending,
        OutboxStatus.Sent => NotificationStatus.Sent,
        OutboxStatus.Failed => NotificationStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private sealed record Header(string Recipient, string Channel, string Address);
}
