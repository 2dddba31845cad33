using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Telehealth.Bench.Scale;

/// <summary>
/// The message every phase sends, so every figure counts the same thing: an oximeter message of 2 readings (SpO2 and
/// pulse) with its own device time (one second apart per device, ending an hour ago). One message per device carries
/// a critical SpO2 (82 %), so the platform raises and pushes one alert per person.
/// </summary>
public static class ScalePayload
{
    public const int ReadingsPerMessage = 2;

    public static byte[] Message(string deviceId, long unixSeconds, bool critical, int sequence) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""[{"bn":"urn:dev:id:{{deviceId}}:","bt":{{unixSeconds}},"n":"spo2","u":"%","v":{{(critical ? 82 : 96 + sequence % 3)}}},{"n":"heart_rate","u":"beat/min","v":{{70 + sequence % 10}}}]"""));

    /// <summary>The first device time (seconds) of a run of <paramref name="messagesPerDevice"/> messages per device.</summary>
    public static long FirstSecond(int messagesPerDevice) => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - messagesPerDevice;

    /// <summary>Which message of its device a payload is (its "bt" minus the first second), or -1.</summary>
    public static long BaseTime(ReadOnlySpan<byte> payload)
    {
        var at = payload.IndexOf("\"bt\":"u8);
        return at >= 0 && Utf8Parser.TryParse(payload[(at + 5)..], out long seconds, out _) ? seconds : -1;
    }
}
