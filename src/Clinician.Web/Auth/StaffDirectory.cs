using System.Security.Cryptography;
using System.Text;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Staff accounts and their passwords. Passwords are chosen by people, so they are stored as PBKDF2-SHA256 with a
/// per-user salt (<see cref="IStaffStore"/> keeps only salt and hash); checking one goes through the
/// <see cref="PasswordHashGate"/> so guessing cannot starve the rest of the process.
/// </summary>
public sealed class StaffDirectory(IStaffStore store, PasswordHashGate hashGate, TimeProvider timeProvider)
{
    // OWASP's 2023 guidance for PBKDF2-HMAC-SHA256.
    private const int Iterations = 600_000;

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => store.AnyAsync(cancellationToken);

    /// <summary>True when <paramref name="username"/> is a member of staff of <paramref name="teamId"/> (alerts are assigned only within the team).</summary>
    public Task<bool> IsInTeamAsync(string username, string teamId, CancellationToken cancellationToken = default) =>
        store.IsInTeamAsync(username, teamId, cancellationToken);

    /// <summary>Creates the account, or resets its password and role when it exists.</summary>
    public Task UpsertAsync(StaffUser user, string password, CancellationToken cancellationToken = default) =>
        store.UpsertAsync(user, HashNew(password), timeProvider.GetUtcNow(), cancellationToken);

    /// <summary>A fresh salt and the password's hash with it, to store.</summary>
    public static StaffPasswordHash HashNew(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return new StaffPasswordHash(salt, Hash(password, salt));
    }

    public async Task<StaffVerification> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        // A disabled account is answered like an unknown one.
        var stored = await store.FindActiveAsync(username, cancellationToken);

        // An unknown user costs the same hash as a real check, so response times do not reveal which usernames exist.
        var (ran, matches) = await hashGate.TryRunAsync(
            () => stored is not null
                ? CryptographicOperations.FixedTimeEquals(Hash(password, stored.Password.Salt), stored.Password.Hash)
                : Hash(password, new byte[16]).Length < 0,
            cancellationToken);
        if (!ran)
        {
            return StaffVerification.Busy;
        }
        return matches ? StaffVerification.Verified(stored!.User) : StaffVerification.WrongCredentials;
    }

    private static byte[] Hash(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
}
