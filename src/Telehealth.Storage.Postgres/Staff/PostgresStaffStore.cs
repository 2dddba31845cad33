using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Storage.Postgres.Staff;

/// <summary>Staff accounts in the shared PostgreSQL care record (table staff_users): salts and hashes, never passwords.</summary>
public sealed class PostgresStaffStore(PostgresDatabase database) : IStaffStore
{
    /// <summary>SQLITE_CONSTRAINT: here, the username is taken.</summary>
    

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM staff_users)";
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> IsInTeamAsync(string username, string teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM staff_users WHERE username = @username AND team_id = @team)";
        command.Parameters.AddWithValue("@username", username);
        command.Parameters.AddWithValue("@team", teamId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task UpsertAsync(StaffUser user, StaffPasswordHash password, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Insert(connection, user, password, at, """
            ON CONFLICT(username) DO UPDATE SET role = @role, team_id = @team, password_salt = @salt, password_hash = @hash, disabled_at_ms = NULL
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StaffCreateResult> CreateAsync(StaffUser user, StaffPasswordHash password, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Insert(connection, user, password, at, string.Empty);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StaffCreateResult.Created;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return StaffCreateResult.DuplicateUsername;
        }
    }

    public async Task<StoredStaffCredential?> FindActiveAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT role, team_id, password_salt, password_hash FROM staff_users WHERE username = @username AND disabled_at_ms IS NULL";
        command.Parameters.AddWithValue("@username", username);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var user = new StaffUser(username, StaffRoleNames.Normalize(reader.GetString(0)) ?? reader.GetString(0), reader.GetString(1));
        return new StoredStaffCredential(user, new StaffPasswordHash((byte[])reader["password_salt"], (byte[])reader["password_hash"]));
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(string? teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT username, role, team_id, created_at_ms, disabled_at_ms FROM staff_users
            {(teamId is null ? "" : "WHERE team_id = @team")} ORDER BY username
            """;
        if (teamId is not null)
        {
            command.Parameters.AddWithValue("@team", teamId);
        }
        var accounts = new List<StaffAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new StaffAccount(
                reader.GetString(0),
                StaffRoleNames.Normalize(reader.GetString(1)) ?? reader.GetString(1),
                reader.GetString(2),
                PostgresTime.FromUnixMs(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : PostgresTime.FromUnixMs(reader.GetInt64(4))));
        }
        return accounts;
    }

    public async Task<bool> DisableAsync(string username, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE staff_users SET disabled_at_ms = COALESCE(disabled_at_ms, @at) WHERE username = @username";
        command.Parameters.AddWithValue("@username", username);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> IsActiveAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM staff_users WHERE username = @username AND disabled_at_ms IS NOT NULL)";
        command.Parameters.AddWithValue("@username", username);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlCommand Insert(NpgsqlConnection connection, StaffUser user, StaffPasswordHash password, DateTimeOffset at, string onConflict)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO staff_users (username, role, team_id, password_salt, password_hash, created_at_ms)
            VALUES (@username, @role, @team, @salt, @hash, @at)
            {onConflict}
            """;
        command.Parameters.AddWithValue("@username", user.Username);
        command.Parameters.AddWithValue("@role", user.Role);
        command.Parameters.AddWithValue("@team", user.TeamId);
        command.Parameters.AddWithValue("@salt", password.Salt);
        command.Parameters.AddWithValue("@hash", password.Hash);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        return command;
    }
}
