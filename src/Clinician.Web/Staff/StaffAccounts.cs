using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Clinician.Web.Staff;

/// <summary>
/// Managing staff accounts (the table is <see cref="StaffDirectory"/>'s, which checks passwords): create without
/// overwriting, list, disable, and whether an account may still act. Disabling keeps the row, so the account's name
/// stays on the alerts, calls and audit rows it made and cannot be taken by someone else.
/// </summary>
public sealed class StaffAccounts(SqliteDatabase database, StaffDirectory directory, TimeProvider timeProvider)
{
    public const string AccountDisabled = "account_disabled";

    public async Task<StaffCreateResult> CreateAsync(StaffUser user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            // Claims the name first (a placeholder hash nobody can match), so two admins creating the same username
            // cannot both succeed; the directory then sets the real password hash.
            command.CommandText = """
                INSERT INTO staff_users (username, role, team_id, password_salt, password_hash, created_at_ms)
                VALUES ($username, $role, $team, zeroblob(16), zeroblob(32), $at)
                """;
            command.Parameters.AddWithValue("$username", user.Username);
            command.Parameters.AddWithValue("$role", user.Role);
            command.Parameters.AddWithValue("$team", user.TeamId);
            command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(timeProvider.GetUtcNow()));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the username is taken
            {
                return StaffCreateResult.DuplicateUsername;
            }
        }
        await directory.UpsertAsync(user, password, cancellationToken);
        return StaffCreateResult.Created;
    }

    /// <param name="teamId">Only this team's staff when set.</param>
    public async Task<IReadOnlyList<StaffAccount>> ListAsync(string? teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT username, role, team_id, created_at_ms, disabled_at_ms FROM staff_users
            WHERE $team IS NULL OR team_id = $team ORDER BY username
            """;
        command.Parameters.AddWithValue("$team", (object?)teamId ?? DBNull.Value);
        var accounts = new List<StaffAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new StaffAccount(
                reader.GetString(0),
                StaffRoleNames.Normalize(reader.GetString(1)) ?? reader.GetString(1),
                reader.GetString(2),
                SqliteTime.FromUnixMs(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : SqliteTime.FromUnixMs(reader.GetInt64(4))));
        }
        return accounts;
    }

    public async Task<StaffAccount?> GetAsync(string username, CancellationToken cancellationToken = default) =>
        (await ListAsync(null, cancellationToken)).FirstOrDefault(a => a.Username == username);

    /// <summary>False when there is no such account; disabling a disabled account keeps its first time.</summary>
    public async Task<bool> DisableAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE staff_users SET disabled_at_ms = COALESCE(disabled_at_ms, $at) WHERE username = $username";
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(timeProvider.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Whether a token's holder may still act: their account is not disabled. Checked on every request, so a disabled
    /// account's unexpired tokens stop working at once, on every instance sharing the database. (Accounts are never
    /// deleted, so a token we signed names an account that exists.)
    /// </summary>
    public async Task<bool> IsActiveAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM staff_users WHERE username = $username AND disabled_at_ms IS NOT NULL)";
        command.Parameters.AddWithValue("$username", username);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }
}
