using System.Text;
using System.Text.Json;

namespace Telehealth.Gateway.Serial.Forwarding;

/// <summary>The device API v1 messages the bridge sends: a SenML reading pair and telecare events.</summary>
public static class BridgePayloads
{
    /// <summary>
    /// <c>[{"bn":"urn:dev:id:{id}:","bt":t,"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":72}]</c>,
    /// with bt the window's end in Unix seconds (millisecond precision, the platform's own resolution).
    /// </summary>
    public static string Readings(string deviceId, DateTimeOffset at, int spo2, int pulseRate) => Write(writer =>
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("bn", $"urn:dev:id:{deviceId}:");
        writer.WriteNumber("bt", UnixSeconds(at));
        writer.WriteString("n", "spo2");
        writer.WriteString("u", "%");
        writer.WriteNumber("v", spo2);
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteString("n", "heart_rate");
        writer.WriteString("u", "beat/min");
        writer.WriteNumber("v", pulseRate);
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    /// <summary><c>{"event":"low_battery","t":1795000000.25}</c></summary>
    public static string Event(string eventName, DateTimeOffset at) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("event", eventName);
        writer.WriteNumber("t", UnixSeconds(at));
        writer.WriteEndObject();
    });

    private static decimal UnixSeconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000m;

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
