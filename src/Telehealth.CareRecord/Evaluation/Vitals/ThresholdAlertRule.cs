using System.Globalization;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// One vital against the person's bands. Outside Low/High is Medium; outside CriticalLow/CriticalHigh is
/// Critical: the critical bounds sit where NEWS2 already gives the parameter 3 points, and at home only one or
/// two NEWS2 parameters are usually measured, so NEWS2 alone often cannot reach 7 however ill the person is
/// (SpO2 70 % with nothing else measured is NEWS2 3). The critical band must be able to ask for a response now.
/// Raising is immediate; clearing has hysteresis (<see cref="VitalAlertTuning"/>).
/// A reading is judged against the bands that were in force at its own device time when <paramref name="inForceAt"/>
/// is given (the person's threshold timeline), so the alert decision and the FHIR interpretation of the same reading
/// never disagree across a threshold change; otherwise against <paramref name="threshold"/>.
/// </summary>
public sealed class ThresholdAlertRule(
    VitalThreshold threshold,
    VitalAlertTuning tuning,
    bool personal = false,
    Func<DateTimeOffset, (VitalThreshold Threshold, bool Personal)?>? inForceAt = null)
    : AlertRule<ThresholdRuleState>
{
    public override string Key { get; } = ConditionKeys.Threshold(threshold.Kind);

    protected override ThresholdRuleState Initial { get; } = new();

    public static AlertSeverity SeverityOf(Interpretation band) => band switch
    {
        Interpretation.CriticalLow or Interpretation.CriticalHigh => AlertSeverity.Critical,
        Interpretation.Low or Interpretation.High => AlertSeverity.Medium,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "A normal value has no severity."),
    };

    protected override (RuleVerdict, RuleFinding?, ThresholdRuleState, DateTimeOffset?) Decide(RuleInput input, ThresholdRuleState state)
    {
        if (input.Observation is not ReadingObserved { Reading: var reading } observed || reading.Kind != threshold.Kind)
        {
            return Unchanged(state);
        }
        var at = observed.At;
        if ((inForceAt is null ? (threshold, personal) : inForceAt(reading.DeviceTime)) is not var (bands, bandsPersonal))
        {
            return Unchanged(state); // no bands for this vital at the reading's time
        }
        var band = bands.Classify(reading.Value);
        if (state.LatestAt is { } latest && at < latest)
        {
            // A reading older than one already judged (a store outage, a redelivery, a device's spool) describes the
            // past: it neither raises nor clears the present condition. But an out-of-band value nobody has seen must
            // still reach someone, whatever order it arrived in: it raises a one-off alert saying it came late, unless
            // the present condition is already raised (then it belongs to that episode). Without this, whether a
            // critical reading alerted would depend on delivery order after a fault.
            return band == Interpretation.Normal || state.Raised is not null
                ? Unchanged(state)
                : (RuleVerdict.True, ArrivedLate(Abnormal(bands, bandsPersonal, reading, band, SeverityOf(band), at), latest), state, null);
        }
        if (band != Interpretation.Normal)
        {
            var severity = SeverityOf(band);
            var next = new ThresholdRuleState(band, severity, at, InBandSince: null);
            return (RuleVerdict.True, Abnormal(bands, bandsPersonal, reading, band, severity, at), next, null);
        }
        if (state.Raised is not { } raised)
        {
            return (RuleVerdict.False, null, state with { LatestAt = at }, null);
        }

        var lowSide = raised is Interpretation.Low or Interpretation.CriticalLow;
        var clearedByMargin = lowSide
            ? reading.Value >= (bands.Low ?? bands.CriticalLow ?? double.NegativeInfinity) + tuning.ClearMargin
            : reading.Value <= (bands.High ?? bands.CriticalHigh ?? double.PositiveInfinity) - tuning.ClearMargin;
        var inBandSince = state.InBandSince ?? at;
        if (clearedByMargin || at - inBandSince >= tuning.ClearHold)
        {
            return (RuleVerdict.False, null, new ThresholdRuleState(LatestAt: at), null);
        }
        var severityHeld = state.Severity ?? SeverityOf(raised);
        var reason = $"{VitalLabels.Name(reading.Kind)} {VitalLabels.Quantity(reading.Kind, reading.Value)} back inside the band, "
            + $"not yet cleared (clears at {ClearLevel(bands, lowSide)} or after {Minutes(tuning.ClearHold)} inside the band)";
        var finding = new RuleFinding(Key, severityHeld, "clearing", reason, Instantaneous: false, at, Measure: 0, ReopenStep: tuning.ReopenStep);
        return (RuleVerdict.True, finding, state with { LatestAt = at, InBandSince = inBandSince }, null);
    }

    private static (RuleVerdict, RuleFinding?, ThresholdRuleState, DateTimeOffset?) Unchanged(ThresholdRuleState state) =>
        (RuleVerdict.Unknown, null, state, null);

    private RuleFinding Abnormal(VitalThreshold threshold, bool personal, Reading reading, Interpretation band, AlertSeverity severity, DateTimeOffset at)
    {
        var (direction, boundName, bound, code) = band switch
        {
            Interpretation.CriticalLow => ("below", "critical low", threshold.CriticalLow!.Value, "below_critical_low"),
            Interpretation.Low => ("below", "low", threshold.Low!.Value, "below_low"),
            Interpretation.High => ("above", "high", threshold.High!.Value, "above_high"),
            _ => ("above", "critical high", threshold.CriticalHigh!.Value, "above_critical_high"),
        };
        // Distance beyond the edge of the normal band: how far out, whichever band the value is in.
        var lowSide = band is Interpretation.Low or Interpretation.CriticalLow;
        var edge = lowSide ? threshold.Low ?? threshold.CriticalLow!.Value : threshold.High ?? threshold.CriticalHigh!.Value;
        var measure = lowSide ? edge - reading.Value : reading.Value - edge;
        var whose = personal ? "personal" : "default";
        var reason = $"{VitalLabels.Name(reading.Kind)} {VitalLabels.Quantity(reading.Kind, reading.Value)} {direction} {whose} {boundName} {VitalLabels.Quantity(reading.Kind, bound)}";
        return new RuleFinding(Key, severity, code, reason, Instantaneous: false, at, Measure: measure, ReopenStep: tuning.ReopenStep);
    }

    private static RuleFinding ArrivedLate(RuleFinding finding, DateTimeOffset newestJudged) => finding with
    {
        Reason = finding.Reason + string.Create(CultureInfo.InvariantCulture,
            $" at {finding.ObservedAt:yyyy-MM-dd HH:mm:ss}Z, received after a newer reading (of {newestJudged:yyyy-MM-dd HH:mm:ss}Z)"),
        Instantaneous = true,
    };

    private string ClearLevel(VitalThreshold threshold, bool lowSide)
    {
        var level = lowSide
            ? (threshold.Low ?? threshold.CriticalLow!.Value) + tuning.ClearMargin
            : (threshold.High ?? threshold.CriticalHigh!.Value) - tuning.ClearMargin;
        return (lowSide ? "≥ " : "≤ ") + VitalLabels.Quantity(threshold.Kind, level);
    }

    private static string Minutes(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");
}
