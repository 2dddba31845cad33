using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

public sealed class ReadingValidatorTests
{
    private readonly ReadingValidator _validator = new(new DecodingOptions());

    [Theory]
    [InlineData(VitalKind.HeartRate, 20, true)]
    [InlineData(VitalKind.HeartRate, 19.999, false)]
    [InlineData(VitalKind.HeartRate, 300, true)]
    [InlineData(VitalKind.HeartRate, 300.001, false)]
    [InlineData(VitalKind.HeartRate, 4000, false)]
    [InlineData(VitalKind.Spo2, 50, true)]
    [InlineData(VitalKind.Spo2, 49.9, false)]
    [InlineData(VitalKind.Spo2, 100, true)]
    [InlineData(VitalKind.Spo2, 100.1, false)]
    [InlineData(VitalKind.SystolicBp, 40, true)]
    [InlineData(VitalKind.SystolicBp, 39.9, false)]
    [InlineData(VitalKind.SystolicBp, 300, true)]
    [InlineData(VitalKind.SystolicBp, 300.1, false)]
    [InlineData(VitalKind.DiastolicBp, 20, true)]
    [InlineData(VitalKind.DiastolicBp, 19.9, false)]
    [InlineData(VitalKind.DiastolicBp, 200, true)]
    [InlineData(VitalKind.DiastolicBp, 200.1, false)]
    [InlineData(VitalKind.BodyTemperature, 25, true)]
    [InlineData(VitalKind.BodyTemperature, 24.9, false)]
    [InlineData(VitalKind.BodyTemperature, 45, true)]
    [InlineData(VitalKind.BodyTemperature, 45.1, false)]
    [InlineData(VitalKind.BodyWeight, 1, true)]
    [InlineData(VitalKind.BodyWeight, 0.999, false)]
    [InlineData(VitalKind.BodyWeight, 400, true)]
    [InlineData(VitalKind.BodyWeight, 400.1, false)]
    [InlineData(VitalKind.RespiratoryRate, 1, true)]
    [InlineData(VitalKind.RespiratoryRate, 0, false)]
    [InlineData(VitalKind.RespiratoryRate, 80, true)]
    [InlineData(VitalKind.RespiratoryRate, 80.1, false)]
    [InlineData(VitalKind.BloodGlucose, 0.5, true)]
    [InlineData(VitalKind.BloodGlucose, 0.49, false)]
    [InlineData(VitalKind.BloodGlucose, 60, true)]
    [InlineData(VitalKind.BloodGlucose, 60.1, false)]
    [InlineData(VitalKind.HeartRate, double.NaN, false)]
    [InlineData(VitalKind.HeartRate, double.PositiveInfinity, false)]
    [InlineData(VitalKind.HeartRate, -72, false)]
    public void Value_outside_the_plausible_range_is_refused_and_the_bounds_are_inclusive(VitalKind kind, double value, bool plausible)
    {
        var rejection = _validator.CheckValue(3, kind, value);

        if (plausible)
        {
            Assert.Null(rejection);
        }
        else
        {
            Assert.NotNull(rejection);
            Assert.Equal(3, rejection.RecordIndex);
            Assert.Equal(RejectionReasons.Implausible, rejection.Reason);
            Assert.StartsWith($"record 3: 'v' of {kind.WireName()} is outside the plausible range", rejection.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    // Absolute Unix seconds, rounded to the nearest millisecond.
    [InlineData(1_795_000_000.25, 1_795_000_000_250)]
    [InlineData(1_795_000_000.0006, 1_795_000_000_001)]
    [InlineData(1_795_000_000.0004, 1_795_000_000_000)]
    // Below 2^28: relative to the receive time (cut to the millisecond).
    [InlineData(0, ReceivedAtMs)]
    [InlineData(-5, ReceivedAtMs - 5_000)]
    [InlineData(120.5, ReceivedAtMs + 120_500)]
    public void Senml_time_is_resolved_to_the_millisecond(double seconds, long expectedMs)
    {
        var validator = new ReadingValidator(new DecodingOptions { MaxAge = TimeSpan.FromDays(3650), MaxClockSkew = TimeSpan.FromDays(1) });

        var rejection = validator.ResolveDeviceTime(null, seconds, ReceivedAt, out var deviceTime);

        Assert.Null(rejection);
        Assert.Equal(Ms(expectedMs), deviceTime);
    }

    [Theory]
    [InlineData(1_795_000_100, 300, null)]
    [InlineData(1_795_000_100, 300.001, RejectionReasons.FutureTimestamp)]
    [InlineData(1_795_000_100, -31_536_000, null)]
    [InlineData(1_795_000_100, -31_536_000.001, RejectionReasons.StaleTimestamp)]
    [InlineData(1_795_000_100, 1_795_000_400, null)]
    [InlineData(1_795_000_100, 1_795_000_400.001, RejectionReasons.FutureTimestamp)]
    [InlineData(1_795_000_100, 1_763_464_100, null)]
    [InlineData(1_795_000_100, 1_763_464_099.999, RejectionReasons.StaleTimestamp)]
    [InlineData(1_795_000_100, 1e12, RejectionReasons.FutureTimestamp)]
    [InlineData(1_795_000_100, 1e300, RejectionReasons.FutureTimestamp)]
    [InlineData(1_795_000_100, -1e300, RejectionReasons.StaleTimestamp)]
    [InlineData(1_795_000_100, double.NaN, RejectionReasons.NotSenml)]
    [InlineData(1_795_000_100, double.PositiveInfinity, RejectionReasons.NotSenml)]
    public void Time_beyond_the_clock_skew_or_max_age_is_refused_with_the_boundary_accepted(long receivedAtSeconds, double seconds, string? expectedReason)
    {
        var receivedAt = DateTimeOffset.FromUnixTimeSeconds(receivedAtSeconds);

        var rejection = _validator.ResolveDeviceTime(null, seconds, receivedAt, out _);

        Assert.Equal(expectedReason, rejection?.Reason);
        Assert.Null(rejection?.RecordIndex);
    }

    [Fact]
    public void Rejected_time_leaves_the_device_time_unset()
    {
        var rejection = _validator.ResolveDeviceTime(2, 1e12, ReceivedAt, out var deviceTime);

        Assert.Equal(new RecordRejection(2, RejectionReasons.FutureTimestamp, "record 2: time is more than 00:05:00 (MaxClockSkew) after it was received"), rejection);
        Assert.Equal(default, deviceTime);
    }

    [Fact]
    public void Plausibility_limits_cover_every_kind()
    {
        Assert.All(VitalKinds.All, kind => Assert.True(PlausibilityLimits.For(kind).Min < PlausibilityLimits.For(kind).Max));
    }
}
