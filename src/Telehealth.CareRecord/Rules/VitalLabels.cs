using System.Globalization;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Rules;

/// <summary>How staff read vital names, units and values in alert reasons.</summary>
internal static class VitalLabels
{
    public static string Name(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "Heart rate",
        VitalKind.Spo2 => "SpO2",
        VitalKind.SystolicBp => "Systolic BP",
        VitalKind.DiastolicBp => "Diastolic BP",
        VitalKind.BodyTemperature => "Temperature",
        VitalKind.BodyWeight => "Weight",
        VitalKind.RespiratoryRate => "Respiratory rate",
        VitalKind.BloodGlucose => "Blood glucose",
        _ => kind.WireName(),
    };

    public static string Unit(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "bpm",
        VitalKind.Spo2 => "%",
        VitalKind.SystolicBp or VitalKind.DiastolicBp => "mmHg",
        VitalKind.BodyTemperature => "°C",
        VitalKind.BodyWeight => "kg",
        VitalKind.RespiratoryRate => "/min",
        VitalKind.BloodGlucose => "mmol/L",
        _ => kind.CanonicalUnit(),
    };

    public static string Quantity(VitalKind kind, double value) =>
        $"{value.ToString("0.##", CultureInfo.InvariantCulture)} {Unit(kind)}";
}
