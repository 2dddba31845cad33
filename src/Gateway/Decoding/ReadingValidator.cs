using System.Globalization;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Refuses values no patient could have (<see cref="PlausibilityLimits"/>) and device times the platform cannot trust
/// (<see cref="DecodingOptions.MaxClockSkew"/>, <see cref="DecodingOptions.MaxAge"/>), and resolves SenML-style times.
/// Shared by every device payload decoder so readings, events and status agree on what a device time means.
/// </summary>
public sealed class ReadingValidator(DecodingOptions options)
{
    /// <summary>
    /// RFC 8428 §4.5.3: a resolved time below 2^28 seconds is relative to "now" (here: the receive time),
    /// so 0 means now and -60 a minute ago. 2^28 s after the epoch is 1978-07-04, long before any device of ours.
    /// </summary>
    public const double RelativeTimeLimitSeconds = 268_435_456;

    private static readonly long EarliestRepresentableMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long LatestRepresentableMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly DecodingOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Null when <paramref name="canonicalValue"/> (in the canonical unit of <paramref name="kind"/>) is possible.</summary>
    public RecordRejection? CheckValue(int? recordIndex, VitalKind kind, double canonicalValue)
    {
        var range = PlausibilityLimits.For(kind);
        if (range.Contains(canonicalValue))
        {
            return null;
        }
        // The value itself stays out of the detail: it is the person's measurement.
        return new RecordRejection(
            recordIndex,
            RejectionReasons.Implausible,
            RejectionDetail.For(recordIndex, string.Create(
                CultureInfo.InvariantCulture,
                $"'v' of {kind.WireName()} is outside the plausible range {range.Min}–{range.Max} {kind.CanonicalUnit()}")));
    }

    /// <summary>
    /// Turns a SenML time (seconds as floating point; absolute Unix time, or relative to <paramref name="receivedAt"/>
    /// below 2^28; 0 when the device sent none, meaning now) into a UTC device time kept to the millisecond, and checks
    /// it is neither too far ahead of <paramref name="receivedAt"/> nor too old.
    /// </summary>
    /// <returns>Null when the time is acceptable; <paramref name="deviceTime"/> is then set.</returns>
    public RecordRejection? ResolveDeviceTime(int? recordIndex, double senmlSeconds, DateTimeOffset receivedAt, out DateTimeOffset deviceTime)
    {
        deviceTime = default;
        if (!double.IsFinite(senmlSeconds))
        {
            return new RecordRejection(recordIndex, RejectionReasons.NotSenml, RejectionDetail.For(recordIndex, "time is not a finite number"));
        }

        // Storage keeps Unix milliseconds, so the device time is cut to the millisecond here, where it is decided,
        // rather than differing between what the alert core sees and what the store holds. Rounding (not truncating)
        // keeps 1795000000.123 at .123 although its binary form is a hair below.
        var offsetMs = Math.Round(senmlSeconds * 1000, MidpointRounding.AwayFromZero);
        var deviceMs = senmlSeconds < RelativeTimeLimitSeconds
            ? receivedAt.ToUnixTimeMilliseconds() + offsetMs
            : offsetMs;

        if (deviceMs > LatestRepresentableMs)
        {
            return Future(recordIndex);
        }
        if (deviceMs < EarliestRepresentableMs)
        {
            return Stale(recordIndex);
        }

        var resolved = DateTimeOffset.FromUnixTimeMilliseconds((long)deviceMs);
        if (resolved - receivedAt > _options.MaxClockSkew)
        {
            return Future(recordIndex);
        }
        if (receivedAt - resolved > _options.MaxAge)
        {
            return Stale(recordIndex);
        }
        deviceTime = resolved;
        return null;
    }

    private RecordRejection Future(int? recordIndex) => new(
        recordIndex,
        RejectionReasons.FutureTimestamp,
        RejectionDetail.For(recordIndex, string.Create(
            CultureInfo.InvariantCulture,
            $"time is more than {_options.MaxClockSkew} (MaxClockSkew) after it was received")));

    private RecordRejection Stale(int? recordIndex) => new(
        recordIndex,
        RejectionReasons.StaleTimestamp,
        RejectionDetail.For(recordIndex, string.Create(
            CultureInfo.InvariantCulture,
            $"time is more than {_options.MaxAge} (MaxAge) before it was received")));
}
