using System.Security.Cryptography;
using System.Text;
using Telehealth.CareRecord.Staff;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Staff accounts. Passwords are chosen by people, so they are stored as PBKDF2-SHA256 with a per-user salt; checking
/// one goes through the <see cref="PasswordHashGate"/> so guessing cannot starve the rest of the process.
/// </summary>
public sealed class StaffDirectory(SqliteDatabase database, PasswordHashGate hashGate, TimeProvider timeProvider)
{
    // OWASP's 2023 guidance for PBKDF2-HMAC-SHA256.
    private const int Iterations = 600_000;

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM staff_users)";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }

    /// <summary>True when <paramref name="username"/> is a member of staff of <paramref name="teamId"/> (alerts are assigned only within the team).</summary>
    public async Task<bool> IsInTeamAsync(string username, string teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM staff_users WHERE username = $username AND team_id = $team)";
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$team", teamId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }

    /// <summary>Creates the account, or resets its password and role when it exists.</summary>
    public async Task UpsertAsync(StaffUser user, string password, CancellationToken cancellationToken = default)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO staff_users (username, role, team_id, password_salt, password_hash, created_at_ms)
            VALUES ($username, $role, $team, $salt, $hash, $at)
            ON CONFLICT(username) DO UPDATE SET role = $role, team_id = $team, password_salt = $salt, password_hash = $hash, disabled_at_ms = NULL
            """;
        command.Parameters.AddWithValue("$username", user.Username);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$team", user.TeamId);
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$hash", Hash(password, salt));
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StaffVerification> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        StaffUser? user = null;
        byte[]? salt = null;
        byte[]? expected = null;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            // A disabled account is answered like an unknown one (StaffAccounts adds the column before sign-in opens).
            command.CommandText = "SELECT role, team_id, password_salt, password_hash FROM staff_users WHERE username = $username AND disabled_at_ms IS NULL";
            command.Parameters.AddWithValue("$username", username);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                user = new StaffUser(username, StaffRoleNames.Normalize(reader.GetString(0)) ?? reader.GetString(0), reader.GetString(1));
                salt = (byte[])reader["password_salt"];
                expected = (byte[])reader["password_hash"];
            }
        }

        // An unknown user costs the same hash as a real check, so response times do not reveal which usernames exist.
        var (ran, matches) = await hashGate.TryRunAsync(
            () => user is not null
                ? CryptographicOperations.FixedTimeEquals(Hash(password, salt!), expected!)
                : Hash(password, new byte[16]).Length < 0,
            cancellationToken);
        if (!ran)
        {
            return StaffVerification.Busy;
        }
        return matches ? StaffVerification.Verified(user!) : StaffVerification.WrongCredentials;
    }

    private static byte[] Hash(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
}
