namespace Telehealth.Contracts.Devices;

/// <summary>Topic names of device API v1: telehealth/v1/devices/{deviceId}/{readings|events|status}.</summary>
public static class DeviceTopics
{
    public const string Prefix = "telehealth/v1/devices/";

    /// <summary>Subscription filter that covers every device channel.</summary>
    public const string AllDevicesFilter = "telehealth/v1/devices/+/+";

    public static string Readings(string deviceId) => $"{Prefix}{deviceId}/readings";
    public static string Events(string deviceId) => $"{Prefix}{deviceId}/events";
    public static string Status(string deviceId) => $"{Prefix}{deviceId}/status";

    public static bool TryParse(string topic, out string deviceId, out DeviceChannel channel)
    {
        deviceId = string.Empty;
        channel = default;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }
        var id = rest[..slash];
        var channelName = rest[(slash + 1)..];
        DeviceChannel? parsed = channelName switch
        {
            "readings" => DeviceChannel.Readings,
            "events" => DeviceChannel.Events,
            "status" => DeviceChannel.Status,
            _ => null,
        };
        if (parsed is null)
        {
            return false;
        }
        deviceId = id.ToString();
        channel = parsed.Value;
        return true;
    }
}
