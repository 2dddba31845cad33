using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// How a vital's alert clears and re-opens, in the vital's canonical unit.
/// </summary>
/// <param name="ClearMargin">A value must be back inside the band by this much to count as cleared at once.</param>
/// <param name="ClearHold">Or inside the band (by less than the margin) for this long, shown by readings.</param>
/// <param name="ReopenStep">After acknowledgement, a value this much further out re-opens the alert.</param>
public sealed record VitalAlertTuning(VitalKind Kind, double ClearMargin, TimeSpan ClearHold, double ReopenStep)
{
    /// <summary>
    /// Defaults sized to the measurement noise of home devices (oximeters ±2 %, cuffs ±3 mmHg, thermometers
    /// ±0.2 °C), so a value hovering at a bound does not flap, and a re-open needs a real change, not noise.
    /// </summary>
    public static IReadOnlyDictionary<VitalKind, VitalAlertTuning> Defaults { get; } = new[]
    {
        new VitalAlertTuning(VitalKind.HeartRate, ClearMargin: 5, TimeSpan.FromMinutes(15), ReopenStep: 10),
        new VitalAlertTuning(VitalKind.Spo2, ClearMargin: 1, TimeSpan.FromMinutes(15), ReopenStep: 3),
        new VitalAlertTuning(VitalKind.SystolicBp, ClearMargin: 5, TimeSpan.FromMinutes(30), ReopenStep: 10),
        new VitalAlertTuning(VitalKind.DiastolicBp, ClearMargin: 5, TimeSpan.FromMinutes(30), ReopenStep: 10),
        new VitalAlertTuning(VitalKind.BodyTemperature, ClearMargin: 0.3, TimeSpan.FromMinutes(30), ReopenStep: 0.5),
        new VitalAlertTuning(VitalKind.BodyWeight, ClearMargin: 0.5, TimeSpan.FromHours(24), ReopenStep: 1),
        new VitalAlertTuning(VitalKind.RespiratoryRate, ClearMargin: 2, TimeSpan.FromMinutes(15), ReopenStep: 3),
        new VitalAlertTuning(VitalKind.BloodGlucose, ClearMargin: 0.5, TimeSpan.FromMinutes(30), ReopenStep: 1),
    }.ToDictionary(tuning => tuning.Kind);
}
