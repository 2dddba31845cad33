using Npgsql;

namespace Telehealth.Storage.Postgres;

/// <summary>
/// Transaction-scoped advisory locks: where the SQLite engine relies on its single writer (an IMMEDIATE transaction
/// reads and then writes with nobody in between), the PostgreSQL stores take the lock of what they read and write, so
/// the same "read, decide, write" holds across instances. The lock is released by COMMIT or ROLLBACK.
/// </summary>
public static class PostgresLocks
{
    /// <summary>The alert event log: appends are serialised so an event's sequence number is also its commit order,
    /// and a follower reading "after sequence N" never skips an event that commits later with a smaller number.</summary>
    public const string AlertLog = "alert-log";

    /// <summary>Claiming evaluation-queue items (a few milliseconds; evaluation itself runs under per-person leases).</summary>
    public const string EvaluationClaim = "evaluation-claim";

    /// <summary>
    /// An outbox kind's appends: taken shared by an append that then locks its subjects (and keys), exclusive by one
    /// with too many of them to lock each (<see cref="OutboxSubject"/>).
    /// </summary>
    public static string OutboxKind(string kind) => "outbox:" + kind;

    /// <summary>
    /// Appending to the outbox for one subject (a person): a kind's appends for different people do not wait for each
    /// other, and one person's rows commit in the order of their sequence numbers (which is the order they are sent).
    /// </summary>
    public static string OutboxSubject(string kind, string subject) => $"outbox:{kind}:subject:{subject}";

    /// <summary>Appending a message with this key (taken for <c>OncePerKey</c> messages, whose key may come from several subjects).</summary>
    public static string OutboxKey(string kind, string key) => $"outbox:{kind}:key:{key}";

    /// <summary>
    /// The statement that takes every lock named in its one text[] parameter, in the order of their 64-bit hashes (the
    /// lock's identity): any two transactions that take overlapping sets take them in the same order, so they cannot
    /// deadlock on each other. The sorted subquery is kept apart (OFFSET 0) so the locks are taken in its order.
    /// </summary>
    public const string TakeManySql = """
        SELECT count(*) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1 OFFSET 0) AS s
        CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(s.h)) AS l
        """;

    /// <summary>Waits for, then holds until the transaction ends, the lock named <paramref name="key"/>.</summary>
    public static async Task TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
