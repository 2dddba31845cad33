using System.Diagnostics.CodeAnalysis;

namespace Telehealth.Contracts.Readings;

/// <summary>Wire names and canonical units of <see cref="VitalKind"/>. Canonical units are what every store holds.</summary>
public static class VitalKinds
{
    public static IReadOnlyList<VitalKind> All { get; } = Enum.GetValues<VitalKind>();

    public static string WireName(this VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "heart_rate",
        VitalKind.Spo2 => "spo2",
        VitalKind.SystolicBp => "systolic_bp",
        VitalKind.DiastolicBp => "diastolic_bp",
        VitalKind.BodyTemperature => "body_temperature",
        VitalKind.BodyWeight => "body_weight",
        VitalKind.RespiratoryRate => "respiratory_rate",
        VitalKind.BloodGlucose => "blood_glucose",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>SenML unit where SenML registers one (RFC 8428 §12.1), UCUM otherwise.</summary>
    public static string CanonicalUnit(this VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "beat/min",
        VitalKind.Spo2 => "%",
        VitalKind.SystolicBp or VitalKind.DiastolicBp => "mm[Hg]",
        VitalKind.BodyTemperature => "Cel",
        VitalKind.BodyWeight => "kg",
        VitalKind.RespiratoryRate => "1/min",
        VitalKind.BloodGlucose => "mmol/L",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParseWireName(string? name, out VitalKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.WireName(), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static VitalKind ParseWireName(string name) =>
        TryParseWireName(name, out var kind) ? kind : throw new FormatException($"Unknown vital kind '{name}'.");
}
