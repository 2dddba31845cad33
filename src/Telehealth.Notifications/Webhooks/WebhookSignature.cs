using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telehealth.Notifications.Webhooks;

/// <summary>
/// The webhook signature scheme, for both ends. The sender puts the Unix time in seconds in
/// <see cref="TimestampHeader"/> and <c>v1=</c> + lowercase hex HMAC-SHA256(secret, timestamp + "." + body) in
/// <see cref="SignatureHeader"/>. A receiver recomputes it over the raw body bytes, compares in constant time, and
/// refuses a timestamp further than its tolerance (5 minutes is usual) from its own clock, which stops a captured
/// request from being replayed later; within the window, <see cref="DeliveryHeader"/> (the notification id) lets it
/// drop a repeat.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Telehealth-Timestamp";
    public const string SignatureHeader = "X-Telehealth-Signature";
    public const string DeliveryHeader = "X-Telehealth-Delivery";
    public const string Version = "v1";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return Version + "=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when the signature matches and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        var given = Encoding.ASCII.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
