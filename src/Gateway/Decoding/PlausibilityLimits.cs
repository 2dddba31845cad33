using Telehealth.Contracts.Readings;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Physiologically impossible values, per kind, in canonical units. The limits are deliberately wide: they reject
/// only what no living patient (or working device) could produce - a heart rate of 4000, a temperature of 0 °C, a
/// glucose of 600 mmol/L that was really mg/dL. Abnormal-but-possible values (a heart rate of 35, SpO2 of 70 %)
/// must reach the alert core, which judges them; refusing them here would hide exactly the readings that matter.
/// </summary>
public static class PlausibilityLimits
{
    public static PlausibleRange For(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => new(20, 300),
        VitalKind.Spo2 => new(50, 100),
        VitalKind.SystolicBp => new(40, 300),
        VitalKind.DiastolicBp => new(20, 200),
        VitalKind.BodyTemperature => new(25, 45),
        VitalKind.BodyWeight => new(1, 400),
        VitalKind.RespiratoryRate => new(1, 80),
        VitalKind.BloodGlucose => new(0.5, 60),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
