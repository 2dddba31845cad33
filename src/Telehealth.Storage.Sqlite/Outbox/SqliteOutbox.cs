using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Outbox;

namespace Telehealth.Storage.Sqlite.Outbox;

/// <summary>
/// The <see cref="IOutboxStore"/> as the <c>outbox</c> table of the platform's SQLite file (migration 2). <c>seq</c> is
/// AUTOINCREMENT, so a number is never reused even after delivered rows are swept: the order of sending is the order
/// of <c>seq</c>. The dedupe check and the append are one statement inside an IMMEDIATE transaction, so two writers
/// cannot both see "not there yet".
/// </summary>
public sealed class SqliteOutbox(SqliteDatabase database, TimeProvider time) : IOutboxStore
{
    private const string Columns =
        "seq, kind, subject, message_key, correlation_id, header, payload, status, passes, attempts, recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at";

    public async Task<int> EnqueueAsync(string kind, IReadOnlyList<OutboxMessage> messages, OutboxDedupe dedupe, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return 0;
        }
        // Hashed before the write lock is taken: the lock is held for the inserts only.
        var hashes = messages.Select(message => OutboxContentHash.Of(message.Payload)).ToArray();
        // A pass's observations are one long transaction: in turn with the ingest writer, not polled for (SqliteDatabase).
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var notThere = dedupe switch
        {
            OutboxDedupe.OncePerKey => "SELECT 1 FROM outbox WHERE kind = $kind AND message_key = $key",
            OutboxDedupe.UnlessNewestIsSame => """
                SELECT 1 FROM (
                    SELECT content_hash, status FROM outbox WHERE kind = $kind AND message_key = $key
                    ORDER BY seq DESC LIMIT 1) AS newest
                WHERE newest.content_hash = $hash AND newest.status <> 'failed'
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dedupe), dedupe, null),
        };
        var command = write.Statement($"""
            INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, next_attempt_at, created_at)
            SELECT $kind, $subject, $key, $correlation, $header, $payload, $hash, 'pending', $now, $now
            WHERE NOT EXISTS ({notThere})
            """)
            .Bind("$kind", kind)
            .Bind("$now", SqliteTime.ToUnixMs(time.GetUtcNow()));
        var appended = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            appended += await command
                .Bind("$subject", message.Subject)
                .Bind("$key", message.Key)
                .Bind("$correlation", message.CorrelationId)
                .Bind("$header", message.Header)
                .Bind("$payload", message.Payload)
                .Bind("$hash", hashes[i])
                .ExecuteNonQueryAsync(cancellationToken);
        }
        await write.CommitAsync(cancellationToken);
        return appended;
    }

    public Task<IReadOnlyList<OutboxRow>> PendingAsync(string kind, int limit, IReadOnlyCollection<string>? excludedSubjects = null, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, "status = 'pending'" + (excludedSubjects is { Count: > 0 } ? " AND subject NOT IN (SELECT value FROM json_each($excluded))" : string.Empty),
            "seq", limit, command =>
            {
                if (excludedSubjects is { Count: > 0 })
                {
                    command.Parameters.AddWithValue("$excluded", JsonSerializer.Serialize(excludedSubjects));
                }
            }, cancellationToken);

    public Task<IReadOnlyList<OutboxRow>> UnrecordedAsync(string kind, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, "recorded_passes < passes", "seq", limit, null, cancellationToken);

    public Task<IReadOnlyList<OutboxRow>> ForCorrelationAsync(string kind, string correlationId, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, "correlation_id = $correlation", "seq", 10_000, command => command.Parameters.AddWithValue("$correlation", correlationId), cancellationToken);

    public Task<IReadOnlyList<OutboxRow>> ListAsync(string kind, OutboxStatus? status, int limit, IReadOnlyCollection<string>? subjects, bool newestFirst, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, $"{(status is null ? "1 = 1" : "status = $status")} AND {SubjectFilter(subjects)}", newestFirst ? "seq DESC" : "seq", limit, command =>
        {
            if (status is { } wanted)
            {
                command.Parameters.AddWithValue("$status", StatusText(wanted));
            }
            BindSubjects(command, subjects);
        }, cancellationToken);

    public async Task<bool> ContainsAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = $kind AND message_key = $key)";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<OutboxCounts> CountAsync(string kind, IReadOnlyCollection<string>? subjects = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT status, COUNT(*) FROM outbox WHERE kind = $kind AND {SubjectFilter(subjects)} GROUP BY status";
        command.Parameters.AddWithValue("$kind", kind);
        BindSubjects(command, subjects);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int pending = 0, sent = 0, failed = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = reader.GetInt32(1);
            switch (ParseStatus(reader.GetString(0)))
            {
                case OutboxStatus.Pending: pending = count; break;
                case OutboxStatus.Sent: sent = count; break;
                case OutboxStatus.Failed: failed = count; break;
            }
        }
        return new OutboxCounts(pending, sent, failed);
    }

    public Task RecordPassAsync(long seq, OutboxStatus status, int attempts, int? statusCode, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset? completedAt, CancellationToken cancellationToken = default) =>
        RecordPassesAsync([new OutboxPass(seq, status, attempts, statusCode, error, nextAttemptAt, completedAt)], cancellationToken);

    public async Task RecordPassesAsync(IReadOnlyList<OutboxPass> passes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passes);
        if (passes.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        // One pass is one statement in its own transaction, as before; several share a transaction and a commit, in
        // turn with the other bulk writers.
        using var turn = passes.Count > 1 ? await database.WaitForWriteTurnAsync(cancellationToken) : null;
        await using var transaction = passes.Count > 1 ? connection.BeginTransaction(deferred: false) : null;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE outbox
            SET status = $status, passes = passes + 1, attempts = attempts + $attempts, last_status_code = $code,
                last_error = $error, next_attempt_at = COALESCE($next, next_attempt_at), completed_at = $completed
            WHERE seq = $seq
            """;
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var attempts = command.Parameters.Add("$attempts", SqliteType.Integer);
        var code = command.Parameters.Add("$code", SqliteType.Integer);
        var error = command.Parameters.Add("$error", SqliteType.Text);
        var next = command.Parameters.Add("$next", SqliteType.Integer);
        var completed = command.Parameters.Add("$completed", SqliteType.Integer);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        foreach (var pass in passes)
        {
            status.Value = StatusText(pass.Status);
            attempts.Value = pass.Attempts;
            code.Value = pass.StatusCode is { } statusCode ? statusCode : DBNull.Value;
            error.Value = (object?)pass.Error ?? DBNull.Value;
            next.Value = pass.NextAttemptAt is { } nextAttemptAt ? SqliteTime.ToUnixMs(nextAttemptAt) : DBNull.Value;
            completed.Value = pass.CompletedAt is { } completedAt ? SqliteTime.ToUnixMs(completedAt) : DBNull.Value;
            seq.Value = pass.Seq;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET recorded_passes = MAX(recorded_passes, $passes) WHERE seq = $seq";
        command.Parameters.AddWithValue("$passes", passes);
        command.Parameters.AddWithValue("$seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PruneDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM outbox WHERE status = 'sent' AND completed_at < $before";
        command.Parameters.AddWithValue("$before", SqliteTime.ToUnixMs(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<OutboxRow>> QueryAsync(string kind, string where, string order, int limit, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE kind = $kind AND {where} ORDER BY {order} LIMIT $limit";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$limit", limit);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(
                Seq: reader.GetInt64(0),
                Kind: reader.GetString(1),
                Subject: reader.GetString(2),
                Key: reader.GetString(3),
                CorrelationId: reader.IsDBNull(4) ? null : reader.GetString(4),
                Header: reader.GetString(5),
                Payload: reader.GetString(6),
                Status: ParseStatus(reader.GetString(7)),
                Passes: reader.GetInt32(8),
                Attempts: reader.GetInt32(9),
                RecordedPasses: reader.GetInt32(10),
                LastStatusCode: reader.IsDBNull(11) ? null : reader.GetInt32(11),
                LastError: reader.IsDBNull(12) ? null : reader.GetString(12),
                NextAttemptAt: SqliteTime.FromUnixMs(reader.GetInt64(13)),
                CreatedAt: SqliteTime.FromUnixMs(reader.GetInt64(14)),
                CompletedAt: reader.IsDBNull(15) ? null : SqliteTime.FromUnixMs(reader.GetInt64(15))));
        }
        return rows;
    }

    private static string SubjectFilter(IReadOnlyCollection<string>? subjects) =>
        subjects is null ? "1 = 1" : "subject IN (SELECT value FROM json_each($subjects))";

    private static void BindSubjects(SqliteCommand command, IReadOnlyCollection<string>? subjects)
    {
        if (subjects is not null)
        {
            command.Parameters.AddWithValue("$subjects", JsonSerializer.Serialize(subjects));
        }
    }

    private static string StatusText(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "pending",
        OutboxStatus.Sent => "sent",
        OutboxStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static OutboxStatus ParseStatus(string text) => text switch
    {
        "pending" => OutboxStatus.Pending,
        "sent" => OutboxStatus.Sent,
        "failed" => OutboxStatus.Failed,
        _ => throw new InvalidDataException($"Unknown outbox status '{text}'."),
    };
}
