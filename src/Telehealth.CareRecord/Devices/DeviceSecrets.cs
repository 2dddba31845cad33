using System.Security.Cryptography;

namespace Telehealth.CareRecord.Devices;

/// <summary>
/// Device secrets are 256 random bits, so a salted SHA-256 is enough to make a stolen table useless
/// (no dictionary to attack) while keeping reconnect storms of many devices cheap; staff passwords,
/// chosen by people, use PBKDF2 instead.
/// </summary>
public static class DeviceSecrets
{
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public static byte[] Hash(string secret, byte[] salt)
    {
        var secretBytes = System.Text.Encoding.UTF8.GetBytes(secret);
        var buffer = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(buffer, 0);
        secretBytes.CopyTo(buffer, salt.Length);
        return SHA256.HashData(buffer);
    }

    public static bool Verify(string secret, byte[] salt, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret, salt), expectedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
