using System.Collections.Frozen;
using Telehealth.Contracts.Readings;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Converts a value in a unit a device may send to the canonical unit of its kind (<see cref="VitalKinds.CanonicalUnit"/>).
/// Units are matched exactly (UCUM and SenML units are case-sensitive: "K" is kelvin). Only unambiguous spellings are
/// accepted; a unit not listed for the kind is refused rather than guessed, because a wrong guess (°F read as °C,
/// mg/dL read as mmol/L) turns a normal reading into an alarming one, or an alarming one into a normal one.
/// </summary>
public static class UnitConverter
{
    /// <summary>
    /// Pascals in one conventional millimetre of mercury: 13.5951 g/cm³ × 9.80665 m/s² × 1 mm, exact by definition.
    /// 1 kPa is therefore 7.50061683 mmHg (often quoted as 7.50062).
    /// </summary>
    public const double PascalsPerMillimetreOfMercury = 133.322387415;

    /// <summary>Milligrams per decilitre in one mmol/L of glucose (molar mass 180.16 g/mol).</summary>
    public const double GlucoseMilligramsPerDecilitrePerMillimolePerLitre = 18.016;

    /// <summary>Kilograms in one avoirdupois pound, exact by the 1959 international agreement.</summary>
    public const double KilogramsPerPound = 0.45359237;

    private static readonly Func<double, double> Same = static value => value;

    private static readonly FrozenDictionary<VitalKind, FrozenDictionary<string, Func<double, double>>> Conversions =
        new Dictionary<VitalKind, FrozenDictionary<string, Func<double, double>>>
        {
            // UCUM ignores {annotations}: {beats}/min is /min; "bpm" is what consumer devices print.
            [VitalKind.HeartRate] = Units(
                ("beat/min", Same), ("/min", Same), ("1/min", Same), ("{beats}/min", Same), ("{beat}/min", Same), ("bpm", Same)),
            [VitalKind.RespiratoryRate] = Units(
                ("1/min", Same), ("/min", Same), ("{breaths}/min", Same), ("{breath}/min", Same)),
            [VitalKind.Spo2] = Units(("%", Same)),
            [VitalKind.SystolicBp] = BloodPressureUnits(),
            [VitalKind.DiastolicBp] = BloodPressureUnits(),
            [VitalKind.BodyTemperature] = Units(
                ("Cel", Same),
                ("[degF]", static fahrenheit => (fahrenheit - 32) * 5 / 9),
                ("K", static kelvin => kelvin - 273.15)),
            [VitalKind.BodyWeight] = Units(
                ("kg", Same),
                ("g", static grams => grams / 1000),
                ("[lb_av]", static pounds => pounds * KilogramsPerPound),
                ("lb", static pounds => pounds * KilogramsPerPound)),
            // UCUM has both "L" and "l" for the litre, so mmol/l and mg/dl are the same units, not guesses.
            [VitalKind.BloodGlucose] = Units(
                ("mmol/L", Same),
                ("mmol/l", Same),
                ("mg/dL", static mgPerDl => mgPerDl / GlucoseMilligramsPerDecilitrePerMillimolePerLitre),
                ("mg/dl", static mgPerDl => mgPerDl / GlucoseMilligramsPerDecilitrePerMillimolePerLitre)),
        }.ToFrozenDictionary();

    /// <summary>The unit spellings accepted for <paramref name="kind"/>, canonical first.</summary>
    public static IReadOnlyList<string> AcceptedUnits(VitalKind kind) => AcceptedUnitLists[kind];

    /// <summary>Converts <paramref name="value"/> from <paramref name="unit"/> to the canonical unit of <paramref name="kind"/>.</summary>
    /// <returns>False when <paramref name="unit"/> is not accepted for <paramref name="kind"/>.</returns>
    public static bool TryToCanonical(VitalKind kind, string unit, double value, out double canonicalValue)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (Conversions.TryGetValue(kind, out var units) && units.TryGetValue(unit, out var convert))
        {
            canonicalValue = convert(value);
            return true;
        }
        canonicalValue = double.NaN;
        return false;
    }

    private static readonly FrozenDictionary<VitalKind, IReadOnlyList<string>> AcceptedUnitLists =
        VitalKinds.All.ToFrozenDictionary(
            kind => kind,
            kind => (IReadOnlyList<string>)[kind.CanonicalUnit(), .. Conversions[kind].Keys.Where(unit => unit != kind.CanonicalUnit()).Order(StringComparer.Ordinal)]);

    private static FrozenDictionary<string, Func<double, double>> BloodPressureUnits() => Units(
        ("mm[Hg]", Same),
        ("mmHg", Same),
        ("kPa", static kilopascals => kilopascals * 1000 / PascalsPerMillimetreOfMercury));

    private static FrozenDictionary<string, Func<double, double>> Units(params (string Unit, Func<double, double> ToCanonical)[] units) =>
        units.ToFrozenDictionary(entry => entry.Unit, entry => entry.ToCanonical, StringComparer.Ordinal);
}
