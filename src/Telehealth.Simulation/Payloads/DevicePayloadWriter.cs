using System.Buffers;
using System.Text.Json;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Simulation.Scenarios;

namespace Telehealth.Simulation.Payloads;

/// <summary>Writes the JSON bodies of device API v1: SenML readings, telecare events and status heartbeats.</summary>
public static class DevicePayloadWriter
{
    /// <summary>The SenML base name of a device: <c>urn:dev:id:{deviceId}:</c> (RFC 8428 §4.5.1 concatenates bn and n).</summary>
    public static string BaseName(string deviceId) => $"urn:dev:id:{deviceId}:";

    /// <summary>
    /// One SenML pack (RFC 8428): the first record carries bn and bt (the device's measurement time), every record a
    /// name, unit and value. An empty list is refused: an empty pack would say nothing.
    /// </summary>
    public static byte[] Readings(string deviceId, DateTimeOffset measuredAt, IReadOnlyList<SimulatedReading> readings)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            throw new ArgumentException("A SenML pack needs at least one reading.", nameof(readings));
        }
        return Write(writer =>
        {
            writer.WriteStartArray();
            for (var i = 0; i < readings.Count; i++)
            {
                writer.WriteStartObject();
                if (i == 0)
                {
                    writer.WriteString("bn", BaseName(deviceId));
                    writer.WriteNumber("bt", UnixSeconds(measuredAt));
                }
                writer.WriteString("n", readings[i].Kind.WireName());
                writer.WriteString("u", readings[i].Unit);
                writer.WriteNumber("v", readings[i].Value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    /// <summary><c>{"event":"fall_detected","t":1795000000.25}</c></summary>
    public static byte[] Event(TelecareEventType type, DateTimeOffset happenedAt) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("event", type.WireName());
        writer.WriteNumber("t", UnixSeconds(happenedAt));
        writer.WriteEndObject();
    });

    /// <summary><c>{"battery":87,"t":1795000000.25}</c></summary>
    public static byte[] Status(int batteryPercent, DateTimeOffset reportedAt) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("battery", batteryPercent);
        writer.WriteNumber("t", UnixSeconds(reportedAt));
        writer.WriteEndObject();
    });

    /// <summary>Unix seconds with milliseconds, as an exact decimal so 0.123 is not written as 0.12299999.</summary>
    public static decimal UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000m;

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
