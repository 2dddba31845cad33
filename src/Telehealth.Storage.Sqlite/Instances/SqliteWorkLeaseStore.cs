using Telehealth.CareRecord.Instances;

namespace Telehealth.Storage.Sqlite.Instances;

/// <summary>
/// The <see cref="IWorkLeaseStore"/> as the <c>work_leases</c> table. Taking and renewing is one upsert whose update
/// applies only when the row is the caller's or has run out, so "is it free?" and "it is mine" cannot interleave with
/// another holder's; the number of rows changed says whether the caller holds it.
/// </summary>
public sealed class SqliteWorkLeaseStore(SqliteDatabase database) : IWorkLeaseStore
{
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO work_leases (name, holder, acquired_at_ms, lease_until_ms) VALUES ($name, $holder, $now, $until)
            ON CONFLICT (name) DO UPDATE SET
                acquired_at_ms = CASE WHEN work_leases.holder = excluded.holder THEN work_leases.acquired_at_ms ELSE excluded.acquired_at_ms END,
                holder = excluded.holder, lease_until_ms = excluded.lease_until_ms
            WHERE work_leases.holder = excluded.holder OR work_leases.lease_until_ms <= $now
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$now", SqliteTime.ToUnixMs(now));
        command.Parameters.AddWithValue("$until", SqliteTime.ToUnixMs(now + duration));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM work_leases WHERE name = $name AND holder = $holder";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WorkLease?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT holder, acquired_at_ms, lease_until_ms FROM work_leases WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WorkLease(name, reader.GetString(0), SqliteTime.FromUnixMs(reader.GetInt64(1)), SqliteTime.FromUnixMs(reader.GetInt64(2)))
            : null;
    }
}
