using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

public sealed class DeviceStatusDecoderTests
{
    private readonly DeviceStatusDecoder _decoder = new(new DecodingOptions());

    private DeviceStatusDecodeResult Decode(string json) => _decoder.Decode(Utf8(json), ReceivedAt);

    [Theory]
    [InlineData("""{}""", null, ReceivedAtMs, false)]
    [InlineData(""" { } """, null, ReceivedAtMs, false)]
    [InlineData("""{"battery":87}""", 87, ReceivedAtMs, false)]
    [InlineData("""{"battery":0}""", 0, ReceivedAtMs, false)]
    [InlineData("""{"battery":100}""", 100, ReceivedAtMs, false)]
    [InlineData("""{"battery":null}""", null, ReceivedAtMs, false)]
    [InlineData("""{"battery":87,"t":1795000000}""", 87, 1_795_000_000_000, true)]
    [InlineData("""{"t":1795000000.25}""", null, 1_795_000_000_250, true)]
    [InlineData("""{"t":-60}""", null, ReceivedAtMs - 60_000, false)]
    [InlineData("""{"battery":55,"rssi":-70,"fw":{"version":"1.2.0"},"tags":["a"]}""", 55, ReceivedAtMs, false)]
    [InlineData("""{"battery":40,"firmware":"4.6.1"}""", 40, ReceivedAtMs, false)]
    public void Well_formed_status_is_a_heartbeat(string json, int? battery, long expectedMs, bool clockReported)
    {
        var result = Decode(json);

        Assert.True(result.IsAccepted);
        Assert.Null(result.Rejection);
        Assert.Equal((battery, Ms(expectedMs)), (result.Status!.BatteryPercent, result.Status.DeviceTime));
        Assert.Equal(clockReported, result.Status.ClockReported);
        Assert.Equal(json.Contains("4.6.1", StringComparison.Ordinal) ? "4.6.1" : null, result.Status.Firmware);
    }

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData("""{"interval":300}""", 300)]
    [InlineData("""{"interval":1,"battery":80}""", 1)]
    [InlineData("""{"interval":604800}""", 604800)]
    [InlineData("""{"interval":null}""", null)]
    public void A_declared_heartbeat_interval_is_read_in_seconds(string json, int? seconds)
    {
        var result = Decode(json);

        Assert.True(result.IsAccepted);
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, result.Status!.Interval);
    }

    [Theory]
    [InlineData("""{"interval":0}""", "field 'interval' is outside 1–604800 seconds")]
    [InlineData("""{"interval":604801}""", "field 'interval' is outside 1–604800 seconds")]
    [InlineData("""{"interval":-5}""", "field 'interval' is outside 1–604800 seconds")]
    [InlineData("""{"interval":30.5}""", "field 'interval' is not an integer number of seconds")]
    [InlineData("""{"interval":"300"}""", "field 'interval' is not an integer number of seconds")]
    [InlineData("""{"interval":300,"interval":60}""", "field 'interval' appears twice")]
    public void A_bad_interval_refuses_the_status(string json, string detail)
    {
        Assert.Equal(new RecordRejection(null, RejectionReasons.InvalidStatus, detail), Decode(json).Rejection);
    }

    [Theory]
    [InlineData("""{"battery":101}""", RejectionReasons.InvalidStatus, "field 'battery' is outside 0–100")]
    [InlineData("""{"battery":-1}""", RejectionReasons.InvalidStatus, "field 'battery' is outside 0–100")]
    [InlineData("""{"battery":87.5}""", RejectionReasons.InvalidStatus, "field 'battery' is not an integer")]
    [InlineData("""{"battery":0.87}""", RejectionReasons.InvalidStatus, "field 'battery' is not an integer")]
    [InlineData("""{"battery":1e10}""", RejectionReasons.InvalidStatus, "field 'battery' is not an integer")]
    [InlineData("""{"battery":"87"}""", RejectionReasons.InvalidStatus, "field 'battery' is not an integer")]
    [InlineData("""{"battery":true}""", RejectionReasons.InvalidStatus, "field 'battery' is not an integer")]
    [InlineData("""{"battery":87,"battery":86}""", RejectionReasons.InvalidStatus, "field 'battery' appears twice")]
    [InlineData("""{"firmware":12}""", RejectionReasons.InvalidStatus, "field 'firmware' is not a string of 1–64 characters")]
    [InlineData("""{"t":"now"}""", RejectionReasons.InvalidStatus, "field 't' is not a finite number")]
    [InlineData("""{"t":null}""", RejectionReasons.InvalidStatus, "field 't' is not a finite number")]
    [InlineData("""[]""", RejectionReasons.InvalidStatus, "expected a JSON object")]
    [InlineData("""87""", RejectionReasons.InvalidStatus, "expected a JSON object")]
    [InlineData("""{""", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 2")]
    [InlineData("""{"battery":87,}""", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 15")]
    [InlineData("""{"battery":87}{}""", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 15")]
    [InlineData("""{"battery":87,"t":1795000400.001}""", RejectionReasons.FutureTimestamp, "time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""{"t":0.5e9}""", RejectionReasons.StaleTimestamp, "time is more than 365.00:00:00 (MaxAge) before it was received")]
    public void Bad_status_is_refused_with_exact_reason_and_detail(string json, string reason, string detail)
    {
        var result = Decode(json);

        Assert.False(result.IsAccepted);
        Assert.Null(result.Status);
        Assert.Equal(new RecordRejection(null, reason, detail), result.Rejection);
    }

    [Fact]
    public void Oversize_status_payload_is_refused()
    {
        var result = _decoder.Decode(Utf8("{}" + new string(' ', 64 * 1024)), ReceivedAt);

        Assert.Equal(new RecordRejection(null, RejectionReasons.PayloadTooLarge, "payload is 65538 bytes; MaxPayloadBytes is 65536"), result.Rejection);
    }
}
