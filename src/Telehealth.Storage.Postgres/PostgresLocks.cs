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

    /// <summary>Waits for, then holds until the transaction ends, the lock named <paramref name="key"/>.</summary>
    public static async Task TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
