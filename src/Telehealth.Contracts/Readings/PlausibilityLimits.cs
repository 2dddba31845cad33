namespace Telehealth.Contracts.Readings;

/// <summary>
/// Physiologically impossible values, per kind, in canonical units. Shared by the device edge (a reading outside is
/// refused) and the alert core (a threshold outside could never be met, so it is refused too: a heart-rate "low" of
/// -100 would silently switch the alert off). The limits are deliberately wide: they reject only what no living
/// patient (or working device) could produce - a heart rate of 4000, a temperature of 0 °C, a glucose of 600 mmol/L
/// that was really mg/dL. Abnormal-but-possible values (a heart rate of 35, SpO2 of 70 %)
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
