using Npgsql;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>Sees, from PostgreSQL's own lock table, that a statement is waiting for an advisory lock (no sleeping on a guess).</summary>
internal static class PostgresLockWaiters
{
    /// <summary>Returns once at least <paramref name="count"/> advisory-lock requests in this database are waiting.</summary>
    public static async Task WaitForAsync(NpgsqlConnection connection, int count, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                connection);
            if ((long)(await command.ExecuteScalarAsync(timeout.Token))! >= count)
            {
                return;
            }
            await Task.Delay(20, timeout.Token); // polling a condition, bounded by the timeout
        }
    }
}
