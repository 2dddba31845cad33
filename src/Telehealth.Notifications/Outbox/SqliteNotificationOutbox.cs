using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telehealth.Notifications.Channels;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Notifications.Outbox;

/// <summary>
/// The notification outbox as a table in the platform's SQLite file. <c>seq</c> is AUTOINCREMENT, so the order of
/// sending is the order of queueing; (key, channel, address) is unique, so queueing the same escalation step again
/// (a follower replaying the log after a crash) adds nothing.
/// </summary>
public sealed class SqliteNotificationOutbox : INotificationOutbox
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS notification_outbox (
            seq               INTEGER PRIMARY KEY AUTOINCREMENT,
            notification_key  TEXT NOT NULL,
            alert_id          TEXT NOT NULL,
            patient_id        TEXT NOT NULL,
            recipient         TEXT NOT NULL,
            channel           TEXT NOT NULL,
            address           TEXT NOT NULL,
            payload           TEXT NOT NULL,
            status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            passes            INTEGER NOT NULL DEFAULT 0,
            attempts          INTEGER NOT NULL DEFAULT 0,
            recorded_passes   INTEGER NOT NULL DEFAULT 0,
            last_status_code  INTEGER NULL,
            last_error        TEXT NULL,
            next_attempt_at   INTEGER NOT NULL,
            created_at        INTEGER NOT NULL,
            completed_at      INTEGER NULL,
            UNIQUE (notification_key, channel, address)
        );
        CREATE INDEX IF NOT EXISTS ix_notification_outbox_status_seq ON notification_outbox(status, seq);
        CREATE INDEX IF NOT EXISTS ix_notification_outbox_alert ON notification_outbox(alert_id, seq);
        CREATE INDEX IF NOT EXISTS ix_notification_outbox_unrecorded ON notification_outbox(seq) WHERE recorded_passes < passes;
        """;

    private const string Columns =
        "seq, payload, channel, address, status, passes, attempts, recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at";

    private const int MaxErrorLength = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private readonly Lock _signalLock = new();
    private TaskCompletionSource _newEntries = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _schemaReady;

    public SqliteNotificationOutbox(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<NotificationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return 0;
        }
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO notification_outbox (notification_key, alert_id, patient_id, recipient, channel, address, payload, status, next_attempt_at, created_at)
            VALUES ($key, $alert, $patient, $recipient, $channel, $address, $payload, 'pending', $now, $now)
            ON CONFLICT (notification_key, channel, address) DO NOTHING
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var alert = command.Parameters.Add("$alert", SqliteType.Text);
        var patient = command.Parameters.Add("$patient", SqliteType.Text);
        var recipient = command.Parameters.Add("$recipient", SqliteType.Text);
        var channel = command.Parameters.Add("$channel", SqliteType.Text);
        var address = command.Parameters.Add("$address", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        command.Parameters.AddWithValue("$now", SqliteTime.ToUnixMs(_time.GetUtcNow()));
        var appended = 0;
        foreach (var request in requests)
        {
            key.Value = request.Notification.Key;
            alert.Value = request.Notification.AlertId.ToString();
            patient.Value = request.Notification.PatientRef;
            recipient.Value = request.Notification.Recipient;
            channel.Value = request.Channel;
            address.Value = request.Address;
            payload.Value = JsonSerializer.Serialize(request.Notification, Json);
            appended += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (appended > 0)
        {
            Signal();
        }
        return appended;
    }

    public Task<IReadOnlyList<NotificationOutboxEntry>> PendingAsync(int limit, CancellationToken cancellationToken = default) =>
        QueryAsync("status = 'pending' ORDER BY seq", limit, null, cancellationToken);

    public Task<IReadOnlyList<NotificationOutboxEntry>> UnrecordedAsync(int limit, CancellationToken cancellationToken = default) =>
        QueryAsync("recorded_passes < passes ORDER BY seq", limit, null, cancellationToken);

    public Task<IReadOnlyList<NotificationOutboxEntry>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        QueryAsync("alert_id = $alert ORDER BY seq", 10_000, command => command.Parameters.AddWithValue("$alert", alertId.ToString()), cancellationToken);

    public Task<IReadOnlyList<NotificationOutboxEntry>> ListAsync(NotificationStatus? status, int limit, CancellationToken cancellationToken = default) =>
        status is { } wanted
            ? QueryAsync("status = $status ORDER BY seq DESC", limit, command => command.Parameters.AddWithValue("$status", StatusText(wanted)), cancellationToken)
            : QueryAsync("1 = 1 ORDER BY seq DESC", limit, null, cancellationToken);

    public async Task RecordPassAsync(long seq, NotificationStatus status, int attempts, int? statusCode, string? error, DateTimeOffset nextAttemptAt, DateTimeOffset? completedAt, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE notification_outbox
            SET status = $status, passes = passes + 1, attempts = attempts + $attempts, last_status_code = $code,
                last_error = $error, next_attempt_at = $next, completed_at = $completed
            WHERE seq = $seq
            """;
        command.Parameters.AddWithValue("$status", StatusText(status));
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$code", statusCode is { } code ? code : DBNull.Value);
        command.Parameters.AddWithValue("$error", error is null ? DBNull.Value : error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
        command.Parameters.AddWithValue("$next", SqliteTime.ToUnixMs(nextAttemptAt));
        command.Parameters.AddWithValue("$completed", completedAt is { } at ? SqliteTime.ToUnixMs(at) : DBNull.Value);
        command.Parameters.AddWithValue("$seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE notification_outbox SET recorded_passes = MAX(recorded_passes, $passes) WHERE seq = $seq";
        command.Parameters.AddWithValue("$passes", passes);
        command.Parameters.AddWithValue("$seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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

    private async Task<IReadOnlyList<NotificationOutboxEntry>> QueryAsync(string whereAndOrder, int limit, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM notification_outbox WHERE {whereAndOrder} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<NotificationOutboxEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new NotificationOutboxEntry(
                Seq: reader.GetInt64(0),
                Notification: JsonSerializer.Deserialize<Notification>(reader.GetString(1), Json)
                    ?? throw new InvalidDataException($"Notification outbox entry {reader.GetInt64(0)} has an empty payload."),
                Channel: reader.GetString(2),
                Address: reader.GetString(3),
                Status: ParseStatus(reader.GetString(4)),
                Passes: reader.GetInt32(5),
                Attempts: reader.GetInt32(6),
                RecordedPasses: reader.GetInt32(7),
                LastStatusCode: reader.IsDBNull(8) ? null : reader.GetInt32(8),
                LastError: reader.IsDBNull(9) ? null : reader.GetString(9),
                NextAttemptAt: SqliteTime.FromUnixMs(reader.GetInt64(10)),
                CreatedAt: SqliteTime.FromUnixMs(reader.GetInt64(11)),
                CompletedAt: reader.IsDBNull(12) ? null : SqliteTime.FromUnixMs(reader.GetInt64(12))));
        }
        return entries;
    }

    private static string StatusText(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Sent => "sent",
        NotificationStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static NotificationStatus ParseStatus(string text) => text switch
    {
        "pending" => NotificationStatus.Pending,
        "sent" => NotificationStatus.Sent,
        "failed" => NotificationStatus.Failed,
        _ => throw new InvalidDataException($"Unknown notification status '{text}'."),
    };

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await _database.EnsureSchemaAsync(Schema, cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
