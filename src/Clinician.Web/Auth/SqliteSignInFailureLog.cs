using Telehealth.Contracts.Diagnostics;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>Refused sign-ins in the embedded database, for admins (GET /api/auth/failures); pruned by age.</summary>
public sealed class SqliteSignInFailureLog(SqliteDatabase database)
{
    /// <summary>Longest source kept: an IPv6 address with a zone fits easily.</summary>
    private const int MaxSourceLength = 100;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sign_in_failures (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms    INTEGER NOT NULL,
            username TEXT    NOT NULL,
            source   TEXT    NOT NULL,
            reason   TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_sign_in_failures_at ON sign_in_failures (at_ms);
        """;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => database.EnsureSchemaAsync(Schema, cancellationToken);

    public async Task RecordAsync(DateTimeOffset at, string username, string source, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sign_in_failures (at_ms, username, source, reason) VALUES ($at, $username, $source, $reason)";
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(at));
        command.Parameters.AddWithValue("$username", UntrustedText.Clip(username));
        command.Parameters.AddWithValue("$source", UntrustedText.Clip(source, MaxSourceLength));
        command.Parameters.AddWithValue("$reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first; <paramref name="beforeId"/> continues a page (the last id of the previous one).</summary>
    public async Task<IReadOnlyList<SignInFailure>> PageAsync(int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, at_ms, username, source, reason FROM sign_in_failures
            WHERE $before IS NULL OR id < $before ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$before", (object?)beforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var failures = new List<SignInFailure>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add(new SignInFailure(reader.GetInt64(0), SqliteTime.FromUnixMs(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return failures;
    }

    /// <summary>Deletes failures recorded before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sign_in_failures WHERE at_ms < $cutoff";
        command.Parameters.AddWithValue("$cutoff", SqliteTime.ToUnixMs(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
