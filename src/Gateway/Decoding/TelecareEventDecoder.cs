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
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.PayloadTooLarge, tooLarge);
        }

        payload = DevicePayload.WithoutByteOrderMark(payload);
        if (DevicePayload.EncodingProblem(payload) is { } notUtf8)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.MalformedJson, notUtf8);
        }

        var reader = new Utf8JsonReader(payload, DevicePayload.ReaderOptions);
        Fields fields;
        try
        {
            fields = ReadFields(ref reader);
        }
        catch (JsonException exception)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.MalformedJson, DevicePayload.MalformedDetail(exception));
        }

        if (fields.ShapeProblem is { } shape)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.MalformedJson, shape);
        }
        if (fields.EventName is not { } eventName)
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.UnknownEvent, "missing field 'event'");
        }
        if (!TelecareEventTypes.TryParseWireName(eventName, out var type))
        {
            return TelecareEventDecodeResult.Refused(RejectionReasons.UnknownEvent, $"unknown event '{RejectionDetail.Echo(eventName)}'");
        }
        if (_validator.ResolveDeviceTime(null, fields.Time ?? 0, receivedAt, out var deviceTime) is { } badTime)
        {
            return TelecareEventDecodeResult.Refused(badTime);
        }
        return TelecareEventDecodeResult.Accepted(new DecodedTelecareEvent(type, deviceTime));
    }

    private static Fields ReadFields(ref Utf8JsonReader reader)
    {
        var fields = new Fields();
        DevicePayload.ReadOrFail(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            DevicePayload.ReadToEnd(ref reader);
            fields.NoteShapeProblem("expected a JSON object");
            return fields;
        }

        var seenEvent = false;
        var seenTime = false;
        for (DevicePayload.ReadOrFail(ref reader); reader.TokenType != JsonTokenType.EndObject; DevicePayload.ReadOrFail(ref reader))
        {
            var label = DevicePayload.GetString(ref reader);
            DevicePayload.ReadOrFail(ref reader);
            switch (label)
            {
                case "event" when seenEvent:
                case "t" when seenTime:
                    fields.NoteShapeProblem($"field '{label}' appears twice");
                    break;
                case "event":
                    seenEvent = true;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        fields.EventName = DevicePayload.GetString(ref reader);
                    }
                    else
                    {
                        fields.NoteShapeProblem("field 'event' is not a string");
                    }
                    break;
                case "t":
                    seenTime = true;
                    if (DevicePayload.TryGetFiniteNumber(ref reader, out var time))
                    {
                        fields.Time = time;
                    }
                    else
                    {
                        fields.NoteShapeProblem("field 't' is not a finite number");
                    }
                    break;
            }
            reader.Skip();
        }
        DevicePayload.ReadToEnd(ref reader);
        return fields;
    }

    private sealed class Fields
    {
        public string? EventName { get; set; }
        public double? Time { get; set; }
        public string? ShapeProblem { get; private set; }

        public void NoteShapeProblem(string problem) => ShapeProblem ??= problem;
    }
}
