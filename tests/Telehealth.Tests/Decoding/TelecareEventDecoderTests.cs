using Telehealth.Contracts.Events;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

public sealed class TelecareEventDecoderTests
{
    private readonly TelecareEventDecoder _decoder = new(new DecodingOptions());

    private TelecareEventDecodeResult Decode(string json) => _decoder.Decode(Utf8(json), ReceivedAt);

    [Theory]
    [InlineData("pendant_press", TelecareEventType.PendantPress)]
    [InlineData("fall_detected", TelecareEventType.FallDetected)]
    [InlineData("smoke", TelecareEventType.Smoke)]
    [InlineData("carbon_monoxide", TelecareEventType.CarbonMonoxide)]
    [InlineData("flood", TelecareEventType.Flood)]
    [InlineData("door_exit", TelecareEventType.DoorExit)]
    [InlineData("bed_absence", TelecareEventType.BedAbsence)]
    [InlineData("inactivity", TelecareEventType.Inactivity)]
    [InlineData("low_battery", TelecareEventType.LowBattery)]
    [InlineData("tamper", TelecareEventType.Tamper)]
    [InlineData("power_fail", TelecareEventType.PowerFail)]
    public void Every_event_wire_name_is_decoded(string wireName, TelecareEventType expected)
    {
        var result = Decode($$"""{"event":"{{wireName}}","t":1795000000.25}""");

        Assert.True(result.IsAccepted);
        Assert.Null(result.Rejection);
        Assert.Equal(new DecodedTelecareEvent(expected, Ms(1_795_000_000_250)), result.Event);
    }

    [Theory]
    [InlineData("""{"event":"fall_detected"}""", ReceivedAtMs)]
    [InlineData("""{"event":"fall_detected","t":0}""", ReceivedAtMs)]
    [InlineData("""{"event":"fall_detected","t":-5}""", ReceivedAtMs - 5_000)]
    [InlineData("""{"event":"fall_detected","t":-2.5}""", ReceivedAtMs - 2_500)]
    [InlineData("""{"event":"fall_detected","t":1795000400}""", 1_795_000_400_000)]
    [InlineData("""{"t":1795000000,"event":"fall_detected","battery":12,"extra":{"zone":[1,2]}}""", 1_795_000_000_000)]
    public void Event_time_follows_the_senml_rules(string json, long expectedMs)
    {
        var result = Decode(json);

        Assert.True(result.IsAccepted);
        Assert.Equal(new DecodedTelecareEvent(TelecareEventType.FallDetected, Ms(expectedMs)), result.Event);
    }

    [Theory]
    [InlineData("""{"event":"fall"}""", RejectionReasons.UnknownEvent, "unknown event 'fall'")]
    [InlineData("""{"event":"Fall_Detected"}""", RejectionReasons.UnknownEvent, "unknown event 'Fall_Detected'")]
    [InlineData("""{"event":"FallDetected"}""", RejectionReasons.UnknownEvent, "unknown event 'FallDetected'")]
    [InlineData("""{"event":""}""", RejectionReasons.UnknownEvent, "unknown event ''")]
    [InlineData("""{"t":1795000000}""", RejectionReasons.UnknownEvent, "missing field 'event'")]
    [InlineData("""{}""", RejectionReasons.UnknownEvent, "missing field 'event'")]
    [InlineData("""{"event":1}""", RejectionReasons.MalformedJson, "field 'event' is not a string")]
    [InlineData("""{"event":"smoke","event":"flood"}""", RejectionReasons.MalformedJson, "field 'event' appears twice")]
    [InlineData("""{"event":"smoke","t":"now"}""", RejectionReasons.MalformedJson, "field 't' is not a finite number")]
    [InlineData("""{"event":"smoke","t":1e400}""", RejectionReasons.MalformedJson, "field 't' is not a finite number")]
    [InlineData("""{"event":"smoke","t":1,"t":2}""", RejectionReasons.MalformedJson, "field 't' appears twice")]
    [InlineData("""["fall_detected"]""", RejectionReasons.MalformedJson, "expected a JSON object")]
    [InlineData("\"fall_detected\"", RejectionReasons.MalformedJson, "expected a JSON object")]
    [InlineData("""{"event":"fall_detected\u0000"}""", RejectionReasons.UnknownEvent, "unknown event 'fall_detected\0'")]
    [InlineData("""{"event":"fall_detected""", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 24")]
    [InlineData("""{"event":"fall_detected"}}""", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 26")]
    [InlineData("fall_detected", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 4")]
    [InlineData("", RejectionReasons.MalformedJson, "invalid JSON at line 1, byte 1")]
    [InlineData("""{"event":"fall_detected","t":300.001}""", RejectionReasons.FutureTimestamp, "time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""{"event":"fall_detected","t":946684800}""", RejectionReasons.StaleTimestamp, "time is more than 365.00:00:00 (MaxAge) before it was received")]
    public void Bad_event_is_refused_with_exact_reason_and_detail(string json, string reason, string detail)
    {
        var result = Decode(json);

        Assert.False(result.IsAccepted);
        Assert.Null(result.Event);
        Assert.Equal(new RecordRejection(null, reason, detail), result.Rejection);
    }

    [Fact]
    public void Oversize_event_payload_is_refused()
    {
        var json = "{\"event\":\"smoke\",\"pad\":\"" + new string('x', 64 * 1024) + "\"}";

        var result = Decode(json);

        Assert.Equal(RejectionReasons.PayloadTooLarge, result.Rejection?.Reason);
    }

    [Fact]
    public void Segmented_event_payload_is_decoded()
    {
        var result = _decoder.Decode(Segmented(Utf8("""{"event":"pendant_press","t":1795000000}"""), 5), ReceivedAt);

        Assert.Equal(new DecodedTelecareEvent(TelecareEventType.PendantPress, Ms(1_795_000_000_000)), result.Event);
    }
}
