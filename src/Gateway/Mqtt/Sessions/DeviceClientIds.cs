using System.Security.Cryptography;

namespace Telehealth.Gateway.Mqtt.Sessions;

/// <summary>
/// The client-id rule of the embedded broker: a client id belongs to exactly one device. It is the device id itself
/// or <c>{deviceId}-{suffix}</c>, with a suffix of 1–<see cref="MaxSuffixLength"/> characters from
/// <c>A–Z a–z 0–9 _ -</c>. MQTT sessions are keyed by client id, so binding the id to the device means a device can
/// never resume, take over or disconnect another device's session. Device ids are <c>dev-</c> plus ten characters
/// without a dash, so two devices' namespaces can never overlap.
/// </summary>
public static class DeviceClientIds
{
    public const int MaxSuffixLength = 64;

    public static bool BelongsTo(string? clientId, string deviceId)
    {
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(deviceId) || !clientId.StartsWith(deviceId, StringComparison.Ordinal))
        {
            return false;
        }
        if (clientId.Length == deviceId.Length)
        {
            return true;
        }
        if (clientId[deviceId.Length] != '-')
        {
            return false;
        }
        var suffix = clientId.AsSpan(deviceId.Length + 1);
        if (suffix.Length is 0 or > MaxSuffixLength)
        {
            return false;
        }
        foreach (var c in suffix)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An id for an MQTT 5 client that sent none: inside the device's own namespace, random so two never clash.</summary>
    public static string Assign(string deviceId) =>
        $"{deviceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
