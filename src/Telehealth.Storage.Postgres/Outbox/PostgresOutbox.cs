using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Telehealth.Contracts.Outbox;

namespace Telehealth.Storage.Postgres.Outbox;

/// <summary>
/// The <see cref="IOutboxStore"/> as the <c>outbox</c> table of the shared PostgreSQL care record. <c>seq</c> is an
/// identity, never reused: the order of sending is the order of <c>seq</c>. The dedupe check and the append are one
/// statement under the advisory locks of the messages' subjects (and keys, for once-per-key messages; see
/// <c>LockNames</c>; a very large append takes its kind's lock instead), so two writers cannot both see "not there yet".
/// <para>
/// Several instances push one outbox. <see cref="PendingAsync"/> is therefore a claim: it returns only rows this
/// instance may send now, the oldest pending rows of subjects (people) not leased to another live instance, and leases
/// those subjects to it in <c>outbox_leases</c> (one row per subject: owner, <c>lease_until</c>, the last row claimed),
/// writing nothing to the outbox rows (migration 7). One person's messages go out in order from one instance at a time,
/// and claims of a kind are serialised by an advisory lock so two never take the same row. <see cref="RecordPassAsync"/>
/// of the last row claimed of a subject, sent or failed, ends its lease; a row left pending keeps the subject with this
/// instance. A dead instance's subjects are taken over when their lease runs out (<see cref="DefaultLeaseDuration"/>).
/// The table's pages are filled to 60 % on insert (migration 6) so that a row's record, a new version of a row of about
/// 1.8 KB, lands on the row's own page and is logged as a difference from the old one.
/// </para>
/// </summary>
public sealed class PostgresOutbox(PostgresDatabase database, TimeProvider time, TimeSpan? leaseDuration = null) : IOutboxStore
{
    /// <summary>Far longer than one delivery pass (timeouts included), short enough that a dead instance's rows go out soon.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(2);

    private readonly TimeSpan _leaseDuration = leaseDuration ?? DefaultLeaseDuration;

    /// <summary>
    /// The last row of each subject in this object's newest claim of it (its lease's <c>claimed_through</c>), so that
    /// recording that row, and only that one, ends the lease. One entry per subject: a new claim replaces it.
    /// </summary>
    private readonly Dictionary<(string Kind, string Subject), long> _lastClaimedOf = [];

    private readonly Dictionary<long, (string Kind, string Subject)> _lastClaimed = [];

    /// <summary>This pusher's name in <c>outbox_leases</c> (unique per store object).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private const string Columns =
        "seq, kind, subject, message_key, correlation_id, header, payload, status, passes, attempts, recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at";

    /// <summary>Messages per statement when appending (all of a call's statements go in one round trip).</summary>
    private const int BatchSize = 1_000;

    public async Task<int> EnqueueAsync(string kind, IReadOnlyList<OutboxMessage> messages, OutboxDedupe dedupe, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return 0;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Set-based: each chunk of messages is one statement over arrays (unnest WITH ORDINALITY keeps the call's order,
        // so sequence numbers follow it). A statement per message made an evaluation pass's Observations cost tens of
        // thousands of statements. A key's earlier message in the same chunk is compared by LAG; across chunks (and
        // against what was stored before) by the outbox itself, since each statement sees the ones before it.
        var keep = dedupe switch
        {
            OutboxDedupe.OncePerKey => """
                m.first_of_key AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = $1 AND o.message_key = m.message_key)
                """,
            OutboxDedupe.UnlessNewestIsSame => """
                CASE WHEN m.previous_hash IS NOT NULL THEN m.previous_hash <> m.content_hash
                     ELSE NOT EXISTS (
                         SELECT 1 FROM (SELECT o.content_hash, o.status FROM outbox o WHERE o.kind = $1 AND o.message_key = m.message_key
                                        ORDER BY o.seq DESC LIMIT 1) AS newest
                         WHERE newest.content_hash = m.content_hash AND newest.status <> 'failed') END
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dedupe), dedupe, null),
        };
        var sql = $"""
            INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, next_attempt_at, created_at)
            SELECT $1, m.subject, m.message_key, m.correlation_id, m.header, m.payload, m.content_hash, 'pending', $8, $8
            FROM (
                SELECT u.*,
                       lag(u.content_hash) OVER (PARTITION BY u.message_key ORDER BY u.position) AS previous_hash,
                       row_number() OVER (PARTITION BY u.message_key ORDER BY u.position) = 1 AS first_of_key
                FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                     AS u(subject, message_key, correlation_id, header, payload, content_hash, position)
            ) AS m
            WHERE {keep}
            ORDER BY m.position
            """;
        var now = PostgresTime.ToUnixMs(time.GetUtcNow());
        await using var batch = new NpgsqlBatch(connection, transaction);
        // First, in the same round trip, the locks of what this append reads and writes (LockNames): the kind's lock
        // shared and then each name's, or, for more names than MaxLocksPerAppend, the kind's lock alone and exclusive.
        var names = LockNames(kind, messages, dedupe);
        var kindLock = new NpgsqlBatchCommand(names.Length > MaxLocksPerAppend
            ? "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"
            : "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))");
        kindLock.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgresLocks.OutboxKind(kind) });
        batch.BatchCommands.Add(kindLock);
        if (names.Length <= MaxLocksPerAppend)
        {
            var locks = new NpgsqlBatchCommand(PostgresLocks.TakeManySql);
            locks.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = names });
            batch.BatchCommands.Add(locks);
        }
        var firstAppend = batch.BatchCommands.Count;
        foreach (var chunk in messages.Chunk(BatchSize))
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = kind });
            command.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(message => message.Subject).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(message => message.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(message => message.CorrelationId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(message => message.Header).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(message => message.Payload).ToArray() });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = chunk.Select(message => OutboxContentHash.Of(message.Payload)).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = now });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var appended = 0;
        for (var index = firstAppend; index < batch.BatchCommands.Count; index++)
        {
            appended += batch.BatchCommands[index].RecordsAffected;
        }
        await transaction.CommitAsync(cancellationToken);
        return appended;
    }

    /// <summary>
    /// Above this many subject and key locks an append takes its kind's lock exclusively instead: PostgreSQL's lock table
    /// holds max_locks_per_transaction × max_connections locks for the whole server (6,400 by default), and a pass over
    /// thousands of people would otherwise take a lock for each.
    /// </summary>
    public const int MaxLocksPerAppend = 64;

    /// <summary>
    /// The advisory locks an append takes (it used to take one per kind, so two instances' evaluation passes queued their
    /// Observations one after the other). Each subject's lock: appends for one person are serialised, so that person's
    /// rows commit in sequence order (a pusher never sends a later row while an earlier one is still uncommitted) and
    /// the "newest of the key" a check reads is final for keys of that person. <see cref="OutboxDedupe.OncePerKey"/>
    /// also locks each key, so two subjects can never both append one key. <see cref="OutboxDedupe.UnlessNewestIsSame"/>
    /// relies on the subject's lock alone: only the same key with the same content appended for two subjects at once
    /// could both go in, and a FHIR resource's content names its subject (a Device reassigned to another person is a new
    /// content), so for the outbox's kinds that cannot happen; a lock per key would take thousands of locks per pass.
    /// </summary>
    private static string[] LockNames(string kind, IReadOnlyList<OutboxMessage> messages, OutboxDedupe dedupe)
    {
        var names = messages.Select(message => PostgresLocks.OutboxSubject(kind, message.Subject));
        if (dedupe == OutboxDedupe.OncePerKey)
        {
            names = names.Concat(messages.Select(message => PostgresLocks.OutboxKey(kind, message.Key)));
        }
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<OutboxRow>> PendingAsync(string kind, int limit, IReadOnlyCollection<string>? excludedSubjects = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var now = PostgresTime.ToUnixMs(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLocks.TakeAsync(connection, transaction, "outbox-claim:" + kind, cancellationToken);
        await using var command = connection.CreateCommand();
        // The rows are only read: the lease is the subject's row in outbox_leases (one per person and claim, not one
        // write per outbox row), and the subjects leased to another live instance are skipped through that small table.
        // Ordered by seq + 0, which only the pending rows' index holds: ordered by seq, the planner may walk the primary
        // key through every row already sent (migration 9).
        command.CommandText = PostgresDatabase.PlanForEachCall + $"""
            WITH picked AS MATERIALIZED (
                SELECT o.seq, o.subject FROM outbox o
                WHERE o.kind = @kind AND o.status = 'pending' AND NOT (o.subject = ANY(@excluded))
                  AND NOT EXISTS (SELECT 1 FROM outbox_leases l
                                  WHERE l.kind = @kind AND l.subject = o.subject AND l.owner <> @owner AND l.lease_until > @now)
                ORDER BY o.seq + 0 LIMIT @limit),
            leased AS (
                INSERT INTO outbox_leases (kind, subject, owner, lease_until, claimed_through)
                SELECT @kind, p.subject, @owner, @until, max(p.seq) FROM picked p GROUP BY p.subject
                ON CONFLICT (kind, subject) DO UPDATE
                SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, claimed_through = EXCLUDED.claimed_through)
            SELECT {Columns} FROM outbox WHERE seq IN (SELECT seq FROM picked) ORDER BY seq
            """;
        command.Parameters.AddWithValue("@owner", Owner);
        command.Parameters.AddWithValue("@until", now + (long)_leaseDuration.TotalMilliseconds);
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@kind", kind);
        command.Parameters.AddWithValue("@excluded", (excludedSubjects ?? []).ToArray());
        command.Parameters.AddWithValue("@limit", limit);
        var rows = new List<OutboxRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        RememberLastClaimed(kind, rows);
        return [.. rows.OrderBy(row => row.Seq)];
    }

    public Task<IReadOnlyList<OutboxRow>> UnrecordedAsync(string kind, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, "recorded_passes < passes", "seq", limit, null, cancellationToken);

    public Task<IReadOnlyList<OutboxRow>> ForCorrelationAsync(string kind, string correlationId, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, "correlation_id = @correlation", "seq", 10_000, command => command.Parameters.AddWithValue("@correlation", correlationId), cancellationToken);

    /// <remarks>
    /// Pending rows are listed through their own index, as a claim finds them (the status written out so that the
    /// partial index applies to any plan, the order on seq + 0 so that the primary key cannot walk the history instead).
    /// </remarks>
    public Task<IReadOnlyList<OutboxRow>> ListAsync(string kind, OutboxStatus? status, int limit, IReadOnlyCollection<string>? subjects, bool newestFirst, CancellationToken cancellationToken = default) =>
        QueryAsync(kind,
            $"{status switch { null => "1 = 1", OutboxStatus.Pending => "status = 'pending'", _ => "status = @status" }} AND {SubjectFilter(subjects)}",
            (status == OutboxStatus.Pending ? "seq + 0" : "seq") + (newestFirst ? " DESC" : ""), limit, command =>
        {
            if (status is { } wanted && wanted != OutboxStatus.Pending)
            {
                command.Parameters.AddWithValue("@status", StatusText(wanted));
            }
            BindSubjects(command, subjects);
        }, cancellationToken);

    public async Task<bool> ContainsAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = @kind AND message_key = @key)";
        command.Parameters.AddWithValue("@kind", kind);
        command.Parameters.AddWithValue("@key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<OutboxCounts> CountAsync(string kind, IReadOnlyCollection<string>? subjects = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT status, COUNT(*) FROM outbox WHERE kind = @kind AND {SubjectFilter(subjects)} GROUP BY status";
        command.Parameters.AddWithValue("@kind", kind);
        BindSubjects(command, subjects);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int pending = 0, sent = 0, failed = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = (int)reader.GetInt64(1);
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
        // One round trip: a batch of statements runs as one implicit transaction unless it is a single statement.
        await using var batch = connection.CreateBatch();
        foreach (var pass in passes)
        {
            batch.BatchCommands.Add(Record(pass));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlBatchCommand Record(OutboxPass pass)
    {
        // Recording the last row this instance claimed of a subject, sent or failed, also ends the subject's lease, so
        // another instance may take the person's next rows at once. Any other row's record is the update alone (the
        // lease's row is not read): a row left pending (a transient failure), or one whose claim this object does not
        // know, leaves the person with this instance until the lease runs out or the next claim renews it.
        var endsLease = pass.Status != OutboxStatus.Pending && ForgetLastClaimed(pass.Seq);
        var command = new NpgsqlBatchCommand(endsLease
            ? """
              WITH recorded AS (
                  UPDATE outbox
                  SET status = $1, passes = passes + 1, attempts = attempts + $2, last_status_code = $3,
                      last_error = $4, next_attempt_at = COALESCE($5::bigint, next_attempt_at), completed_at = $6
                  WHERE seq = $7
                  RETURNING kind, subject)
              DELETE FROM outbox_leases
              WHERE (kind, subject) = (SELECT kind, subject FROM recorded) AND owner = $8 AND claimed_through <= $7
              """
            : """
              UPDATE outbox
              SET status = $1, passes = passes + 1, attempts = attempts + $2, last_status_code = $3,
                  last_error = $4, next_attempt_at = COALESCE($5::bigint, next_attempt_at), completed_at = $6
              WHERE seq = $7
              """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusText(pass.Status) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pass.Attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = pass.StatusCode is { } code ? code : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)pass.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = pass.NextAttemptAt is { } next ? PostgresTime.ToUnixMs(next) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = pass.CompletedAt is { } at ? PostgresTime.ToUnixMs(at) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = pass.Seq });
        if (endsLease)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Owner });
        }
        return command;
    }

    private void RememberLastClaimed(string kind, List<OutboxRow> rows)
    {
        lock (_lastClaimed)
        {
            foreach (var subject in rows.GroupBy(row => row.Subject, StringComparer.Ordinal))
            {
                if (_lastClaimedOf.Remove((kind, subject.Key), out var previous))
                {
                    _lastClaimed.Remove(previous);
                }
                var last = subject.Max(row => row.Seq);
                _lastClaimedOf[(kind, subject.Key)] = last;
                _lastClaimed[last] = (kind, subject.Key);
            }
        }
    }

    private bool ForgetLastClaimed(long seq)
    {
        lock (_lastClaimed)
        {
            if (!_lastClaimed.Remove(seq, out var subject))
            {
                return false;
            }
            _lastClaimedOf.Remove(subject);
            return true;
        }
    }

    public async Task MarkRecordedAsync(long seq, int passes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET recorded_passes = GREATEST(recorded_passes, @passes) WHERE seq = @seq";
        command.Parameters.AddWithValue("@passes", passes);
        command.Parameters.AddWithValue("@seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PruneDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM outbox WHERE status = 'sent' AND completed_at < @before";
        command.Parameters.AddWithValue("@before", PostgresTime.ToUnixMs(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<OutboxRow>> QueryAsync(string kind, string where, string order, int limit, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE kind = @kind AND {where} ORDER BY {order} LIMIT @limit";
        command.Parameters.AddWithValue("@kind", kind);
        command.Parameters.AddWithValue("@limit", limit);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }
        return rows;
    }

    private static OutboxRow Read(NpgsqlDataReader reader) => new OutboxRow(
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
            NextAttemptAt: PostgresTime.FromUnixMs(reader.GetInt64(13)),
            CreatedAt: PostgresTime.FromUnixMs(reader.GetInt64(14)),
            CompletedAt: reader.IsDBNull(15) ? null : PostgresTime.FromUnixMs(reader.GetInt64(15)));

    private static string SubjectFilter(IReadOnlyCollection<string>? subjects) =>
        subjects is null ? "1 = 1" : "subject = ANY(@subjects)";

    private static void BindSubjects(NpgsqlCommand command, IReadOnlyCollection<string>? subjects)
    {
        if (subjects is not null)
        {
            command.Parameters.AddWithValue("@subjects", subjects.ToArray());
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
