using System.Globalization;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// NEWS2 (RCP 2017) over the latest observations measured within the window, re-scored as they age (WakeAt is
/// when the next one leaves the window). Severity: high risk (≥ 7) Critical, medium (5–6) High, a single 3
/// Medium. Staleness never resolves a condition: when a parameter that scored in the active condition ages out
/// without being measured again, the verdict stays True at the held severity with "needs a new set of
/// observations"; only a fresh set in which every scoring parameter was measured again, scoring below the
/// bands, clears it. Data too old with nothing active gives no score (Unknown), never a low one.
/// </summary>
public sealed class News2AlertRule(News2CareSettings care, TimeSpan window) : AlertRule<News2RuleState>
{
    /// <summary>Within the same band, a rise of this many points after acknowledgement is a further deterioration.</summary>
    public const int ReopenStep = 2;

    private static readonly Dictionary<VitalKind, News2Parameter> Parameters = new()
    {
        [VitalKind.RespiratoryRate] = News2Parameter.RespirationRate,
        [VitalKind.Spo2] = News2Parameter.OxygenSaturation,
        [VitalKind.SystolicBp] = News2Parameter.SystolicBloodPressure,
        [VitalKind.HeartRate] = News2Parameter.Pulse,
        [VitalKind.BodyTemperature] = News2Parameter.Temperature,
    };

    public override string Key => ConditionKeys.News2;

    protected override News2RuleState Initial { get; } = new([]);

    public static AlertSeverity? SeverityOf(News2Risk risk) => risk switch
    {
        News2Risk.High => AlertSeverity.Critical,
        News2Risk.Medium => AlertSeverity.High,
        News2Risk.LowMedium => AlertSeverity.Medium,
        _ => null,
    };

    protected override (RuleVerdict, RuleFinding?, News2RuleState, DateTimeOffset?) Decide(RuleInput input, News2RuleState state)
    {
        var now = input.Now;
        switch (input.Observation)
        {
            case null:
                break;
            case ReadingObserved { Reading: var reading } when Parameters.ContainsKey(reading.Kind):
                var current = state.Latest.FirstOrDefault(o => o.Kind == reading.Kind);
                var candidate = new News2Observation(reading.Kind, reading.Value, ObservationTime.Of(reading), reading.ReceivedAt, reading.DeviceId,
                    reading.DeviceTime);
                if (current is null || candidate.At > current.At || (candidate.At == current.At && candidate.ReceivedAt > current.ReceivedAt))
                {
                    state = state with { Latest = [.. state.Latest.Where(o => o.Kind != reading.Kind), candidate] };
                }
                break;
            case ConsciousnessObserved acvpu:
                if (state.ConsciousnessAt is not { } at || acvpu.At >= at)
                {
                    state = state with { Consciousness = acvpu.Level, ConsciousnessAt = acvpu.At };
                }
                break;
            default:
                return (RuleVerdict.Unknown, null, state, NextAgeing(state, now));
        }

        // Fresh means younger than the window: at exactly At + window an observation has aged out, which is
        // also the instant WakeAt names, so the woken evaluation sees it gone.
        var since = now - window;
        var fresh = state.Latest.Where(o => o.At > since && o.At <= now).ToDictionary(o => o.Kind);
        var freshConsciousness = state.ConsciousnessAt is { } cAt && cAt > since && cAt <= now ? state.Consciousness : null;
        var wake = NextAgeing(state, now);
        if (fresh.Count == 0 && freshConsciousness is null)
        {
            return state.Active
                ? (RuleVerdict.True, Stale(state, null, now), state, null)
                : (RuleVerdict.Unknown, null, state, null);
        }

        var score = News2Calculator.Calculate(new News2Inputs(
            RespirationRate: fresh.GetValueOrDefault(VitalKind.RespiratoryRate)?.Value,
            Spo2: fresh.GetValueOrDefault(VitalKind.Spo2)?.Value,
            OnSupplementalOxygen: care.OnSupplementalOxygen,
            SystolicBp: fresh.GetValueOrDefault(VitalKind.SystolicBp)?.Value,
            Pulse: fresh.GetValueOrDefault(VitalKind.HeartRate)?.Value,
            Consciousness: freshConsciousness ?? care.Consciousness,
            TemperatureCelsius: fresh.GetValueOrDefault(VitalKind.BodyTemperature)?.Value,
            Scale: care.Scale));
        var severity = SeverityOf(score.Risk);
        var observedAt = fresh.Count > 0 ? fresh.Values.Max(o => o.At) : state.ConsciousnessAt!.Value;

        var stale = state.Active && state.Contributing!.Any(parameter => !score.ParameterScores.ContainsKey(parameter));
        if (stale && !(severity > state.ActiveSeverity))
        {
            return (RuleVerdict.True, Stale(state, score, now), state, wake);
        }
        if (severity is null)
        {
            return (RuleVerdict.False, null, state with { ActiveSeverity = null, ActiveTotal = null, Contributing = null, ActiveObservedAt = null }, wake);
        }
        state = state with
        {
            ActiveSeverity = severity,
            ActiveTotal = score.Total,
            Contributing = [.. score.ParameterScores.Where(pair => pair.Value > 0).Select(pair => pair.Key).Order()],
            ActiveObservedAt = observedAt,
        };
        var code = score.Risk switch
        {
            News2Risk.High => "news2_high",
            News2Risk.Medium => "news2_medium",
            _ => "news2_single_parameter_3",
        };
        var finding = new RuleFinding(Key, severity.Value, code, News2Assessments.Describe(score), Instantaneous: false, observedAt,
            Measure: score.Total, ReopenStep: ReopenStep);
        return (RuleVerdict.True, finding, state, wake);
    }

    private RuleFinding Stale(News2RuleState state, News2Score? fresh, DateTimeOffset now)
    {
        var missing = state.Contributing!.Where(p => fresh is null || !fresh.ParameterScores.ContainsKey(p)).Select(Label);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"NEWS2 {state.ActiveTotal} from {state.ActiveObservedAt:yyyy-MM-dd HH:mm} UTC is out of date: needs a new set of observations (no recent {string.Join(", ", missing)})");
        return new RuleFinding(Key, state.ActiveSeverity!.Value, "news2_stale", reason, Instantaneous: false,
            state.ActiveObservedAt ?? now, Measure: state.ActiveTotal, ReopenStep: ReopenStep);
    }

    /// <summary>When the next observation now in the window leaves it, so the score is re-made without data.</summary>
    private DateTimeOffset? NextAgeing(News2RuleState state, DateTimeOffset now)
    {
        var times = state.Latest.Select(o => o.At).ToList();
        if (state.ConsciousnessAt is { } c)
        {
            times.Add(c);
        }
        var next = times.Select(t => t + window).Where(t => t > now).DefaultIfEmpty().Min();
        return next == default ? null : next;
    }

    private static string Label(News2Parameter parameter) => parameter switch
    {
        News2Parameter.RespirationRate => "respiration rate",
        News2Parameter.OxygenSaturation => "SpO2",
        News2Parameter.AirOrOxygen => "air or oxygen",
        News2Parameter.SystolicBloodPressure => "systolic BP",
        News2Parameter.Pulse => "pulse",
        News2Parameter.Consciousness => "consciousness",
        _ => "temperature",
    };
}
