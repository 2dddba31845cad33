using System.Buffers;
using System.Text.Json;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Decodes a device API v1 status payload: <c>{"battery":87,"t":1795000000}</c>. Any well-formed status is a heartbeat,
/// so <c>{}</c> is valid. "battery" is an integer percentage 0–100, optional (null means not reported); "t" is optional
/// SenML-style seconds with the same rules as readings. Other fields are ignored so devices can add some. Thread-safe.
/// </summary>
public sealed class DeviceStatusDecoder
{
    private readonly DecodingOptions _options;
    private readonly ReadingValidator _validator;

    public DeviceStatusDecoder(DecodingOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _validator = new ReadingValidator(options);
    }

    public DeviceStatusDecodeResult Decode(ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.PayloadTooLarge, tooLarge);
        }
        return payload.IsSingleSegment ? Decode(payload.FirstSpan, receivedAt) : Decode(payload.ToArray(), receivedAt);
    }

    public DeviceStatusDecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.PayloadTooLarge, tooLarge);
        }

        payload = DevicePayload.WithoutByteOrderMark(payload);
        if (DevicePayload.EncodingProblem(payload) is { } notUtf8)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.MalformedJson, notUtf8);
        }

        var reader = new Utf8JsonReader(payload, DevicePayload.ReaderOptions);
        Fields fields;
        try
        {
            fields = ReadFields(ref reader);
        }
        catch (JsonException exception)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.MalformedJson, DevicePayload.MalformedDetail(exception));
        }

        if (fields.Problem is { } problem)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.InvalidStatus, problem);
        }
        if (_validator.ResolveDeviceTime(null, fields.Time ?? 0, receivedAt, out var deviceTime) is { } badTime)
        {
            return DeviceStatusDecodeResult.Refused(badTime);
        }
        return DeviceStatusDecodeResult.Accepted(new DecodedDeviceStatus(fields.BatteryPercent, deviceTime));
    }

    private static Fields ReadFields(ref Utf8JsonReader reader)
    {
        var fields = new Fields();
        DevicePayload.ReadOrFail(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            DevicePayload.ReadToEnd(ref reader);
            fields.NoteProblem("expected a JSON object");
            return fields;
        }

        var seenBattery = false;
        var seenTime = false;
        for (DevicePayload.ReadOrFail(ref reader); reader.TokenType != JsonTokenType.EndObject; DevicePayload.ReadOrFail(ref reader))
        {
            var label = DevicePayload.GetString(ref reader);
            DevicePayload.ReadOrFail(ref reader);
            switch (label)
            {
                case "battery" when seenBattery:
                case "t" when seenTime:
                    fields.NoteProblem($"field '{label}' appears twice");
                    break;
                case "battery":
                    seenBattery = true;
                    ReadBattery(ref reader, fields);
                    break;
                case "t":
                    seenTime = true;
                    if (DevicePayload.TryGetFiniteNumber(ref reader, out var time))
                    {
                        fields.Time = time;
                    }
                    else
                    {
                        fields.NoteProblem("field 't' is not a finite number");
                    }
                    break;
            }
            reader.Skip();
        }
        DevicePayload.ReadToEnd(ref reader);
        return fields;
    }

    private static void ReadBattery(ref Utf8JsonReader reader, Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        // TryGetInt32 refuses 87.5 and 8.7e1: the API says integer, and a fraction hints at a different scale (0–1).
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var battery))
        {
            fields.NoteProblem("field 'battery' is not an integer");
        }
        else if (battery is < 0 or > 100)
        {
            fields.NoteProblem("field 'battery' is outside 0–100");
        }
        else
        {
            fields.BatteryPercent = battery;
        }
    }

    private sealed class Fields
    {
        public int? BatteryPercent { get; set; }
        public double? Time { get; set; }
        public string? Problem { get; private set; }

        public void NoteProblem(string problem) => Problem ??= problem;
    }
}
