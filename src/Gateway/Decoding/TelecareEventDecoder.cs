using System.Buffers;
using System.Text.Json;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Decodes a device API v1 events payload: <c>{"event":"fall_detected","t":1795000000.25}</c>. "event" is a
/// <see cref="TelecareEventTypes.WireName"/>; "t" is optional SenML-style seconds with the same rules as readings
/// (absent means now, below 2^28 relative to the receive time, clock skew and age limits). Other fields are ignored so
/// devices can add some without breaking; a repeated "event" or "t" is refused because which one was meant is unknown.
/// Thread-safe.
/// </summary>
public sealed class TelecareEventDecoder
{
    private static readonly string[] OwnFields = ["event"];
    private readonly DecodingOptions _options;
    private readonly ReadingValidator _validator;

    public TelecareEventDecoder(DecodingOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _validator = new ReadingValidator(options);
    }

    public TelecareEventDecodeResult Decode(ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.PayloadTooLarge, tooLarge);
        }
        return payload.IsSingleSegment ? Decode(payload.FirstSpan, receivedAt) : Decode(payload.ToArray(), receivedAt);
    }

    public TelecareEventDecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        string? eventName = null;
        var refused = DeviceJsonObject.Read(payload, _options, OwnFields, (string _, ref Utf8JsonReader reader, Action<string> noteProblem) =>
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                eventName = DevicePayload.GetString(ref reader);
            }
            else
            {
                noteProblem("field 'event' is not a string");
            }
        }, out var common);
        if (refused is not null)
        {
            return TelecareEventDecodeResult.Refused(refused);
        }
        // No better code exists for a wrongly shaped event object than malformed_json.
        if (common.ShapeProblem is { } shape)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.MalformedJson, shape);
        }
        if (eventName is null)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.UnknownEvent, "missing field 'event'");
        }
        if (!TelecareEventTypes.TryParseWireName(eventName, out var type))
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.UnknownEvent, $"unknown event '{RejectionDetail.Echo(eventName)}'");
        }
        if (_validator.ResolveDeviceTime(null, common.Time ?? 0, receivedAt, out var deviceTime) is { } badTime)
        {
            return TelecareEventDecodeResult.Refused(badTime);
        }
        return TelecareEventDecodeResult.Accepted(new DecodedTelecareEvent(type, deviceTime));
    }
}
