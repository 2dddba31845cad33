using Telehealth.CareRecord.Lifecycle;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Rules;

/// <summary>
/// One reading against the person's threshold for its kind: outside Low/High is Medium, outside the critical
/// bounds is High (Critical is kept for red flags that need someone now: a pendant press, a fall, NEWS2 ≥ 7).
/// </summary>
public static class ThresholdRule
{
    /// <returns>A finding, a clear for a normal reading, or null when the kind has no threshold.</returns>
    public static RuleOutcome? Evaluate(Reading reading, ThresholdSet thresholds)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.For(reading.Kind) is not { } threshold)
        {
            return null;
        }
        var key = ConditionKeys.Threshold(reading.Kind);
        var interpretation = threshold.Classify(reading.Value);
        if (interpretation == Interpretation.Normal)
        {
            return RuleOutcome.Clear(key, reading.DeviceTime);
        }

        var severity = interpretation is Interpretation.CriticalLow or Interpretation.CriticalHigh
            ? AlertSeverity.High
            : AlertSeverity.Medium;
        var (direction, boundName, bound) = interpretation switch
        {
            Interpretation.CriticalLow => ("below", "critical low", threshold.CriticalLow!.Value),
            Interpretation.Low => ("below", "low", threshold.Low!.Value),
            Interpretation.High => ("above", "high", threshold.High!.Value),
            _ => ("above", "critical high", threshold.CriticalHigh!.Value),
        };
        var whose = thresholds.IsPersonal(reading.Kind) ? "personal" : "default";
        var reason = $"{VitalLabels.Name(reading.Kind)} {VitalLabels.Quantity(reading.Kind, reading.Value)} {direction} {whose} {boundName} {VitalLabels.Quantity(reading.Kind, bound)}";
        return RuleOutcome.Raise(new AlertFinding(key, severity, reason, Instantaneous: false, reading.DeviceTime));
    }
}
