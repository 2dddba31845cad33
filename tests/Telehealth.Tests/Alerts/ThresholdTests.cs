using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.Alerts;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData(VitalKind.HeartRate, 39, Interpretation.CriticalLow)]
    [InlineData(VitalKind.HeartRate, 40, Interpretation.Low)]
    [InlineData(VitalKind.HeartRate, 49.9, Interpretation.Low)]
    [InlineData(VitalKind.HeartRate, 50, Interpretation.Normal)]
    [InlineData(VitalKind.HeartRate, 100, Interpretation.Normal)]
    [InlineData(VitalKind.HeartRate, 100.1, Interpretation.High)]
    [InlineData(VitalKind.HeartRate, 130, Interpretation.High)]
    [InlineData(VitalKind.HeartRate, 131, Interpretation.CriticalHigh)]
    [InlineData(VitalKind.Spo2, 90.9, Interpretation.CriticalLow)]
    [InlineData(VitalKind.Spo2, 91, Interpretation.Low)]
    [InlineData(VitalKind.Spo2, 93.9, Interpretation.Low)]
    [InlineData(VitalKind.Spo2, 94, Interpretation.Normal)]
    [InlineData(VitalKind.Spo2, 100, Interpretation.Normal)]
    [InlineData(VitalKind.SystolicBp, 89, Interpretation.CriticalLow)]
    [InlineData(VitalKind.SystolicBp, 90, Interpretation.Low)]
    [InlineData(VitalKind.SystolicBp, 100, Interpretation.Normal)]
    [InlineData(VitalKind.SystolicBp, 160, Interpretation.Normal)]
    [InlineData(VitalKind.SystolicBp, 161, Interpretation.High)]
    [InlineData(VitalKind.SystolicBp, 200, Interpretation.High)]
    [InlineData(VitalKind.SystolicBp, 201, Interpretation.CriticalHigh)]
    [InlineData(VitalKind.DiastolicBp, 39, Interpretation.CriticalLow)]
    [InlineData(VitalKind.DiastolicBp, 49, Interpretation.Low)]
    [InlineData(VitalKind.DiastolicBp, 50, Interpretation.Normal)]
    [InlineData(VitalKind.DiastolicBp, 101, Interpretation.High)]
    [InlineData(VitalKind.DiastolicBp, 121, Interpretation.CriticalHigh)]
    [InlineData(VitalKind.BodyTemperature, 34.9, Interpretation.CriticalLow)]
    [InlineData(VitalKind.BodyTemperature, 35.0, Interpretation.Low)]
    [InlineData(VitalKind.BodyTemperature, 36.0, Interpretation.Normal)]
    [InlineData(VitalKind.BodyTemperature, 38.0, Interpretation.Normal)]
    [InlineData(VitalKind.BodyTemperature, 38.1, Interpretation.High)]
    [InlineData(VitalKind.BodyTemperature, 39.1, Interpretation.High)]
    [InlineData(VitalKind.BodyTemperature, 39.2, Interpretation.CriticalHigh)]
    [InlineData(VitalKind.RespiratoryRate, 7, Interpretation.CriticalLow)]
    [InlineData(VitalKind.RespiratoryRate, 11, Interpretation.Low)]
    [InlineData(VitalKind.RespiratoryRate, 12, Interpretation.Normal)]
    [InlineData(VitalKind.RespiratoryRate, 20, Interpretation.Normal)]
    [InlineData(VitalKind.RespiratoryRate, 21, Interpretation.High)]
    [InlineData(VitalKind.RespiratoryRate, 26, Interpretation.CriticalHigh)]
    [InlineData(VitalKind.BloodGlucose, 2.9, Interpretation.CriticalLow)]
    [InlineData(VitalKind.BloodGlucose, 3.9, Interpretation.Low)]
    [InlineData(VitalKind.BloodGlucose, 4.0, Interpretation.Normal)]
    [InlineData(VitalKind.BloodGlucose, 11.0, Interpretation.Normal)]
    [InlineData(VitalKind.BloodGlucose, 11.1, Interpretation.High)]
    [InlineData(VitalKind.BloodGlucose, 20.1, Interpretation.CriticalHigh)]
    public void Default_thresholds_classify_bounds_into_the_milder_band(VitalKind kind, double value, Interpretation expected)
    {
        Assert.Equal(expected, ThresholdSet.Defaults.For(kind)!.Classify(value));
    }

    [Theory]
    [InlineData(VitalKind.HeartRate, 40.0, 50.0, 100.0, 130.0)]
    [InlineData(VitalKind.Spo2, 91.0, 94.0, null, null)]
    [InlineData(VitalKind.SystolicBp, 90.0, 100.0, 160.0, 200.0)]
    [InlineData(VitalKind.DiastolicBp, 40.0, 50.0, 100.0, 120.0)]
    [InlineData(VitalKind.BodyTemperature, 35.0, 36.0, 38.0, 39.1)]
    [InlineData(VitalKind.RespiratoryRate, 8.0, 12.0, 20.0, 25.0)]
    [InlineData(VitalKind.BloodGlucose, 3.0, 4.0, 11.0, 20.0)]
    public void Defaults_are_the_agreed_adult_values(VitalKind kind, double? criticalLow, double? low, double? high, double? criticalHigh)
    {
        var threshold = ThresholdSet.Defaults.For(kind);

        Assert.Equal(new VitalThreshold(kind, criticalLow, low, high, criticalHigh), threshold);
        Assert.Empty(threshold!.Validate());
        Assert.False(ThresholdSet.Defaults.IsPersonal(kind));
    }

    [Fact]
    public void Body_weight_has_no_default_and_All_lists_the_seven_others_in_kind_order()
    {
        Assert.Null(ThresholdSet.Defaults.For(VitalKind.BodyWeight));
        Assert.Equal(
            [VitalKind.HeartRate, VitalKind.Spo2, VitalKind.SystolicBp, VitalKind.DiastolicBp, VitalKind.BodyTemperature, VitalKind.RespiratoryRate, VitalKind.BloodGlucose],
            ThresholdSet.Defaults.All.Select(threshold => threshold.Kind));
    }

    [Fact]
    public void An_override_replaces_the_whole_kind_and_leaves_the_others()
    {
        // A COPD patient with a personal SpO2 floor: no critical bound is inherited from the default.
        var copd = new VitalThreshold(VitalKind.Spo2, null, 88, null, null);
        var weight = new VitalThreshold(VitalKind.BodyWeight, null, null, 82.5, null);

        var set = ThresholdSet.Defaults.WithOverrides([copd, weight]);

        Assert.Equal(copd, set.For(VitalKind.Spo2));
        Assert.Equal(weight, set.For(VitalKind.BodyWeight));
        Assert.Equal(ThresholdSet.Defaults.For(VitalKind.HeartRate), set.For(VitalKind.HeartRate));
        Assert.True(set.IsPersonal(VitalKind.Spo2));
        Assert.False(set.IsPersonal(VitalKind.HeartRate));
        Assert.Equal(8, set.All.Count);
        Assert.Equal(Interpretation.Low, set.For(VitalKind.Spo2)!.Classify(80));
        Assert.Null(ThresholdSet.Defaults.For(VitalKind.BodyWeight));
    }

    [Fact]
    public void Two_overrides_for_one_kind_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ThresholdSet.Defaults.WithOverrides(
            [new VitalThreshold(VitalKind.HeartRate, null, 45, 110, null), new VitalThreshold(VitalKind.HeartRate, null, 40, 120, null)]));
    }

    public static TheoryData<double?, double?, double?, double?, int> ValidationCases() => new()
    {
        { 40, 50, 100, 130, 0 },
        { null, null, null, null, 0 },
        { 50, 50, 100, 100, 0 },   // equal bounds on one side: an empty band is allowed
        { null, 94, null, null, 0 },
        { 60, 50, 100, 130, 1 },   // critical low above low
        { 40, 100, 100, 130, 1 },  // low equal to high: no normal band
        { 40, 50, 140, 130, 1 },   // high above critical high
        { 130, null, null, 40, 1 },
        { 200, 150, 100, 50, 6 },  // every pair reversed
        { double.NaN, 50, 100, double.PositiveInfinity, 2 },
        { 20, 50, 100, 300, 0 },   // the plausible range's own ends (heart rate 20–300 beat/min) are allowed
        { 19.9, 50, 100, 130, 1 }, // below the plausible range: no reading could ever be that low
        { 40, 50, 100, 300.1, 1 },
        { null, -100, null, null, 1 },
        { null, null, 1e300, null, 1 },
        { -100, null, null, 1e300, 2 },
    };

    public static TheoryData<VitalKind, double?, double?, double?, double?, string> ImplausibleBoundCases() => new()
    {
        { VitalKind.HeartRate, null, -100, null, null, "heart_rate: Low (-100) is outside the plausible range 20–300 beat/min." },
        { VitalKind.HeartRate, null, null, 1e300, null, "heart_rate: High (1E+300) is outside the plausible range 20–300 beat/min." },
        { VitalKind.Spo2, 101, null, null, null, "spo2: CriticalLow (101) is outside the plausible range 50–100 %." },
        { VitalKind.BodyTemperature, null, null, null, 50, "body_temperature: CriticalHigh (50) is outside the plausible range 25–45 Cel." },
        { VitalKind.BloodGlucose, 0.1, null, null, null, "blood_glucose: CriticalLow (0.1) is outside the plausible range 0.5–60 mmol/L." },
    };

    [Theory]
    [MemberData(nameof(ImplausibleBoundCases))]
    public void A_bound_outside_the_plausible_range_is_refused_naming_the_vital_and_the_range(
        VitalKind kind, double? criticalLow, double? low, double? high, double? criticalHigh, string problem)
    {
        Assert.Equal([problem], new VitalThreshold(kind, criticalLow, low, high, criticalHigh).Validate());
    }

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void Validation_reports_every_problem(double? criticalLow, double? low, double? high, double? criticalHigh, int problems)
    {
        var threshold = new VitalThreshold(VitalKind.HeartRate, criticalLow, low, high, criticalHigh);

        var found = threshold.Validate();

        Assert.Equal(problems, found.Count);
        Assert.All(found, problem => Assert.StartsWith("heart_rate: ", problem));
    }

    [Fact]
    public void Classify_refuses_a_non_finite_value()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdSet.Defaults.For(VitalKind.HeartRate)!.Classify(double.NaN));
    }
}
