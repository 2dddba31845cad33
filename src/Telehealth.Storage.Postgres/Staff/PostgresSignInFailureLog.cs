using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Diagnostics;

namespace Telehealth.Storage.Postgres.Staff;

/// <summary>Refused sign-ins in the shared PostgreSQL care record, for admins (GET /api/auth/failures); pruned by age.</summary>
public sealed class PostgresSignInFailureLog(PostgresDatabase database) : ISignInFailureLog
{
    /// <summary>Longest source kept: an IPv6 address with a zone fits easily.</summary>
    private const int MaxSourceLength = 100;

    public async Task RecordAsync(DateTimeOffset at, string username, string source, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sign_in_failures (at_ms, username, source, reason) VALUES (@at, @username, @source, @reason)";
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        command.Parameters.AddWithValue("@username", UntrustedText.Clip(username));
        command.Parameters.AddWithValue("@source", UntrustedText.Clip(source, MaxSourceLength));
        command.Parameters.AddWithValue("@reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SignInFailure>> PageAsync(int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, at_ms, username, source, reason FROM sign_in_failures
            {(beforeId is null ? "" : "WHERE id < @before")} ORDER BY id DESC LIMIT @limit
            """;
        if (beforeId is { } before)
        {
            command.Parameters.AddWithValue("@before", before);
        }
        command.Parameters.AddWithValue("@limit", limit);
        var failures = new List<SignInFailure>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add(new SignInFailure(reader.GetInt64(0), PostgresTime.FromUnixMs(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return failures;
    }

    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sign_in_failures WHERE at_ms < @cutoff";
        command.Parameters.AddWithValue("@cutoff", PostgresTime.ToUnixMs(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
