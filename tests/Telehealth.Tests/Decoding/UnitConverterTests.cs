using Telehealth.Contracts.Readings;
using Telehealth.Gateway.Decoding;

namespace Telehealth.Tests.Decoding;

public sealed class UnitConverterTests
{
    [Theory]
    [InlineData(VitalKind.HeartRate, "beat/min", 72, 72)]
    [InlineData(VitalKind.HeartRate, "/min", 72, 72)]
    [InlineData(VitalKind.HeartRate, "1/min", 72, 72)]
    [InlineData(VitalKind.HeartRate, "{beats}/min", 72, 72)]
    [InlineData(VitalKind.HeartRate, "{beat}/min", 72, 72)]
    [InlineData(VitalKind.HeartRate, "bpm", 72, 72)]
    [InlineData(VitalKind.RespiratoryRate, "1/min", 16, 16)]
    [InlineData(VitalKind.RespiratoryRate, "/min", 16, 16)]
    [InlineData(VitalKind.RespiratoryRate, "{breaths}/min", 16, 16)]
    [InlineData(VitalKind.RespiratoryRate, "{breath}/min", 16, 16)]
    [InlineData(VitalKind.Spo2, "%", 97, 97)]
    [InlineData(VitalKind.SystolicBp, "mm[Hg]", 120, 120)]
    [InlineData(VitalKind.SystolicBp, "mmHg", 120, 120)]
    [InlineData(VitalKind.SystolicBp, "kPa", 16, 120.00985213530501)]
    [InlineData(VitalKind.DiastolicBp, "mm[Hg]", 80, 80)]
    [InlineData(VitalKind.DiastolicBp, "mmHg", 80, 80)]
    [InlineData(VitalKind.DiastolicBp, "kPa", 10, 75.00615758456563)]
    [InlineData(VitalKind.BodyTemperature, "Cel", 36.6, 36.6)]
    [InlineData(VitalKind.BodyTemperature, "[degF]", 98.6, 37)]
    [InlineData(VitalKind.BodyTemperature, "[degF]", 32, 0)]
    [InlineData(VitalKind.BodyTemperature, "[degF]", 104, 40)]
    [InlineData(VitalKind.BodyTemperature, "K", 310.15, 37)]
    [InlineData(VitalKind.BodyTemperature, "K", 273.15, 0)]
    [InlineData(VitalKind.BodyWeight, "kg", 80.5, 80.5)]
    [InlineData(VitalKind.BodyWeight, "g", 80500, 80.5)]
    [InlineData(VitalKind.BodyWeight, "[lb_av]", 100, 45.359237)]
    [InlineData(VitalKind.BodyWeight, "lb", 176, 79.83225712)]
    [InlineData(VitalKind.BloodGlucose, "mmol/L", 5.5, 5.5)]
    [InlineData(VitalKind.BloodGlucose, "mmol/l", 5.5, 5.5)]
    [InlineData(VitalKind.BloodGlucose, "mg/dL", 90.08, 5)]
    [InlineData(VitalKind.BloodGlucose, "mg/dL", 180.16, 10)]
    [InlineData(VitalKind.BloodGlucose, "mg/dl", 72.064, 4)]
    public void Accepted_unit_converts_to_the_canonical_unit(VitalKind kind, string unit, double value, double expectedCanonical)
    {
        Assert.True(UnitConverter.TryToCanonical(kind, unit, value, out var canonical));
        Assert.Equal(expectedCanonical, canonical, 1e-9);
    }

    [Theory]
    [InlineData(VitalKind.HeartRate, "beat/min", 72.125)]
    [InlineData(VitalKind.Spo2, "%", 96.5)]
    [InlineData(VitalKind.SystolicBp, "mm[Hg]", 121.5)]
    [InlineData(VitalKind.BodyTemperature, "Cel", 36.65)]
    [InlineData(VitalKind.BodyWeight, "kg", 80.35)]
    [InlineData(VitalKind.RespiratoryRate, "1/min", 14.5)]
    [InlineData(VitalKind.BloodGlucose, "mmol/L", 6.7)]
    public void Canonical_unit_passes_the_value_through_unchanged(VitalKind kind, string unit, double value)
    {
        Assert.True(UnitConverter.TryToCanonical(kind, unit, value, out var canonical));
        Assert.Equal(value, canonical);
    }

    [Fact]
    public void Kilopascal_factor_matches_the_quoted_7_50062()
    {
        Assert.True(UnitConverter.TryToCanonical(VitalKind.SystolicBp, "kPa", 1, out var perKilopascal));
        Assert.Equal(7.50062, perKilopascal, 1e-5);
    }

    [Theory]
    [InlineData(VitalKind.HeartRate, "Hz")]
    [InlineData(VitalKind.HeartRate, "beats/min")]
    [InlineData(VitalKind.HeartRate, "BPM")]
    [InlineData(VitalKind.HeartRate, "%")]
    [InlineData(VitalKind.RespiratoryRate, "beat/min")]
    [InlineData(VitalKind.RespiratoryRate, "bpm")]
    [InlineData(VitalKind.Spo2, "/")]
    [InlineData(VitalKind.Spo2, "%EL")]
    [InlineData(VitalKind.Spo2, "")]
    [InlineData(VitalKind.SystolicBp, "mm Hg")]
    [InlineData(VitalKind.SystolicBp, "Pa")]
    [InlineData(VitalKind.SystolicBp, "kpa")]
    [InlineData(VitalKind.DiastolicBp, "cmH2O")]
    [InlineData(VitalKind.BodyTemperature, "cel")]
    [InlineData(VitalKind.BodyTemperature, "degC")]
    [InlineData(VitalKind.BodyTemperature, "°C")]
    [InlineData(VitalKind.BodyTemperature, "F")]
    [InlineData(VitalKind.BodyTemperature, "k")]
    [InlineData(VitalKind.BodyWeight, "KG")]
    [InlineData(VitalKind.BodyWeight, "lbs")]
    [InlineData(VitalKind.BodyWeight, "st")]
    [InlineData(VitalKind.BloodGlucose, "mg")]
    [InlineData(VitalKind.BloodGlucose, "mmol")]
    [InlineData(VitalKind.BloodGlucose, "g/L")]
    public void Unit_not_listed_for_the_kind_is_refused(VitalKind kind, string unit)
    {
        Assert.False(UnitConverter.TryToCanonical(kind, unit, 1, out _));
    }

    public static TheoryData<VitalKind, string[]> AcceptedUnitLists => new()
    {
        { VitalKind.HeartRate, ["beat/min", "/min", "1/min", "bpm", "{beats}/min", "{beat}/min"] },
        { VitalKind.Spo2, ["%"] },
        { VitalKind.SystolicBp, ["mm[Hg]", "kPa", "mmHg"] },
        { VitalKind.DiastolicBp, ["mm[Hg]", "kPa", "mmHg"] },
        { VitalKind.BodyTemperature, ["Cel", "K", "[degF]"] },
        { VitalKind.BodyWeight, ["kg", "[lb_av]", "g", "lb"] },
        { VitalKind.RespiratoryRate, ["1/min", "/min", "{breaths}/min", "{breath}/min"] },
        { VitalKind.BloodGlucose, ["mmol/L", "mg/dL", "mg/dl", "mmol/l"] },
    };

    [Theory]
    [MemberData(nameof(AcceptedUnitLists))]
    public void Accepted_units_list_canonical_first_and_every_one_converts(VitalKind kind, string[] expectedUnits)
    {
        var units = UnitConverter.AcceptedUnits(kind);

        Assert.Equal(expectedUnits, units);
        Assert.Equal(kind.CanonicalUnit(), units[0]);
        Assert.All(units, unit => Assert.True(UnitConverter.TryToCanonical(kind, unit, 1, out _)));
    }

    [Fact]
    public void Every_kind_has_accepted_units()
    {
        Assert.Equal(VitalKinds.All.Count, AcceptedUnitLists.Count());
    }
}
