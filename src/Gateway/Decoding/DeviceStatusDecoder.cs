using System.Buffers;
using System.Text.Json;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Decodes a device API v1 status payload: <c>{"battery":87,"interval":300,"t":1795000000}</c>. Any well-formed status is
/// a heartbeat, so <c>{}</c> is valid. "battery" is an integer percentage 0–100, optional (null means not reported);
/// "interval" is the device's heartbeat interval in whole seconds (1 s – 7 days), optional, as digital social alarms
/// declare their periodic check-in: the platform raises silence after three missed intervals. "t" is optional
/// SenML-style seconds with the same rules as readings (an absolute one also tells the device clock's offset);
/// "firmware" is an optional string of 1–64 characters. Other fields are ignored so devices can add some. Thread-safe.
/// </summary>
public sealed class DeviceStatusDecoder
{
    /// <summary>Longest heartbeat interval a device may declare: a week (a weekly check-in is the slowest in use).</summary>
    public const int MaxIntervalSeconds = 7 * 24 * 3600;

    private static readonly string[] OwnFields = ["battery", "interval", "firmware"];
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
        int? batteryPercent = null;
        int? intervalSeconds = null;
        string? firmware = null;
        var refused = DeviceJsonObject.Read(payload, _options, OwnFields, (string field, ref Utf8JsonReader reader, Action<string> noteProblem) =>
        {
            if (field == "interval")
            {
                intervalSeconds = ReadInterval(ref reader, noteProblem);
            }
            else if (field == "battery")
            {
                batteryPercent = ReadBattery(ref reader, noteProblem);
            }
            else
            {
                firmware = ReadFirmware(ref reader, noteProblem);
            }
        }, out var common);
        if (refused is not null)
        {
            return DeviceStatusDecodeResult.Refused(refused);
        }
        if (common.ShapeProblem is { } problem)
        {
            return DeviceStatusDecodeResult.Refused(RejectionReasons.InvalidStatus, problem);
        }
        if (_validator.ResolveDeviceTime(null, common.Time ?? 0, receivedAt, out var deviceTime) is { } badTime)
        {
            return DeviceStatusDecodeResult.Refused(badTime);
        }
        // Only an absolute "t" says what the device's clock reads; a relative or missing one is the platform's own time.
        var clockReported = common.Time is { } t && t >= ReadingValidator.RelativeTimeLimitSeconds;
        return DeviceStatusDecodeResult.Accepted(new DecodedDeviceStatus(batteryPercent, deviceTime, firmware, clockReported,
            intervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
    }

    private static string? ReadFirmware(ref Utf8JsonReader reader, Action<string> noteProblem)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 and <= 64 } firmware)
        {
            noteProblem("field 'firmware' is not a string of 1–64 characters");
            return null;
        }
        return firmware;
    }

    private static int? ReadBattery(ref Utf8JsonReader reader, Action<string> noteProblem)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        // TryGetInt32 refuses 87.5 and 8.7e1: the API says integer, and a fraction hints at a different scale (0–1).
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var battery))
        {
            noteProblem("field 'battery' is not an integer");
            return null;
        }
        if (battery is < 0 or > 100)
        {
            noteProblem("field 'battery' is outside 0–100");
            return null;
        }
        return battery;
    }

    private static int? ReadInterval(ref Utf8JsonReader reader, Action<string> noteProblem)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var seconds))
        {
            noteProblem("field 'interval' is not an integer number of seconds");
            return null;
        }
        if (seconds is < 1 or > MaxIntervalSeconds)
        {
            noteProblem("field 'interval' is outside 1–604800 seconds");
            return null;
        }
        return seconds;
    }
}
