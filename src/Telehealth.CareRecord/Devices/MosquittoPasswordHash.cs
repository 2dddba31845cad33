using System.Security.Cryptography;

namespace Telehealth.CareRecord.Devices;

/// <summary>
/// A password hash in the form mosquitto 2 writes to its password file (<c>mosquitto_passwd</c>):
/// <c>$7${iterations}${base64 salt}${base64 PBKDF2-HMAC-SHA512}</c>, 12-byte salt, 64-byte hash. The platform computes it
/// when a secret is issued (the only moment the secret is known), so an external broker's password file can be written
/// from the registry without ever storing a secret.
/// </summary>
public static class MosquittoPasswordHash
{
    /// <summary>mosquitto_passwd's own default (101); the secrets are 256 random bits, so more rounds add nothing.</summary>
    public const int Iterations = 101;
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return Format(password, salt, Iterations);
    }

    public static string Format(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches a <c>$7$</c> line value (used by tests of the format).</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 5 || parts[1] != "7" || !int.TryParse(parts[2], out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[3]);
        var expected = Convert.FromBase64String(parts[4]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
