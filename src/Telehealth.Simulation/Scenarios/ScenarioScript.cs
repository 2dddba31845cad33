using Telehealth.Contracts.Events;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Scenarios;

/// <summary>
/// Turns a <see cref="HomeScenario"/> into the person's true values and the telecare events at any scenario time.
/// Pure: the same scenario and time always give the same answer.
/// </summary>
public sealed class ScenarioScript
{
    /// <summary>A fall detector reports inactivity when the person has not moved this long after a fall.</summary>
    public static readonly TimeSpan InactivityAfterFall = TimeSpan.FromMinutes(5);

    // Worst values a deterioration reaches. Chosen so that, even with the generator's largest measurement noise
    // (2.5 SD), each crosses a NEWS2 single-parameter red flag (a 3) by the end of the ramp: SpO2 ≤91 on scale 1
    // (≤83 on scale 2), systolic ≤90, temperature ≥39.1, and glucose below 3.0 mmol/L, which diabetes guidance
    // calls clinically significant hypoglycaemia.
    public const double WorstSpo2Scale1 = 86;
    public const double WorstSpo2Scale2 = 81;
    public const double WorstSystolicBp = 80;
    public const double WorstDiastolicBp = 48;
    public const double WorstBodyTemperature = 39.4;
    public const double WorstBloodGlucose = 2.3;

    private readonly HomeScenario _scenario;

    public ScenarioScript(HomeScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Onset < TimeSpan.Zero || scenario.Ramp <= TimeSpan.Zero)
        {
            throw new ArgumentException("Onset must not be negative and Ramp must be positive.", nameof(scenario));
        }
        _scenario = scenario;
    }

    /// <summary>When a deterioration reaches its worst (it then stays there).</summary>
    public TimeSpan WorstAt => _scenario.Onset + _scenario.Ramp;

    public PhysiologicalState StateAt(TimeSpan elapsed)
    {
        var b = _scenario.Baseline;
        // A gentle daily rhythm: people are warmer, faster and higher in pressure in the afternoon than at night.
        var circadian = Math.Sin(2 * Math.PI * elapsed.TotalHours / 24.0);
        var state = new PhysiologicalState(
            HeartRate: b.HeartRate + 3 * circadian,
            Spo2: b.Spo2,
            SystolicBp: b.SystolicBp + 4 * circadian,
            DiastolicBp: b.DiastolicBp + 2 * circadian,
            BodyTemperature: b.BodyTemperature + 0.15 * circadian,
            BodyWeight: b.BodyWeight,
            RespiratoryRate: b.RespiratoryRate,
            BloodGlucose: b.BloodGlucose);

        var p = Progress(elapsed);
        if (p <= 0)
        {
            return state;
        }
        return _scenario.Kind switch
        {
            ScenarioKind.DeterioratingSpo2 => state with
            {
                Spo2 = Towards(state.Spo2, _scenario.HasHypercapnicRespiratoryFailure ? WorstSpo2Scale2 : WorstSpo2Scale1, p),
                HeartRate = state.HeartRate + 28 * p,
                RespiratoryRate = state.RespiratoryRate + 9 * p,
            },
            ScenarioKind.RisingTemperature => state with
            {
                BodyTemperature = Towards(state.BodyTemperature, WorstBodyTemperature, p),
                HeartRate = state.HeartRate + 30 * p,
                RespiratoryRate = state.RespiratoryRate + 5 * p,
            },
            ScenarioKind.Hypotension => state with
            {
                SystolicBp = Towards(state.SystolicBp, WorstSystolicBp, p),
                DiastolicBp = Towards(state.DiastolicBp, WorstDiastolicBp, p),
                HeartRate = state.HeartRate + 25 * p,
            },
            ScenarioKind.Hypoglycaemia => state with
            {
                BloodGlucose = Towards(state.BloodGlucose, WorstBloodGlucose, p),
                HeartRate = state.HeartRate + 15 * p,
            },
            _ => state,
        };
    }

    /// <summary>The events whose time is in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>], in time order.</summary>
    public IReadOnlyList<ScriptedEvent> EventsBetween(TimeSpan fromExclusive, TimeSpan toInclusive)
    {
        var events = new List<ScriptedEvent>(2);
        foreach (var scripted in AllEvents())
        {
            if (scripted.At > fromExclusive && scripted.At <= toInclusive)
            {
                events.Add(scripted);
            }
        }
        return events;
    }

    /// <summary>Every event the script raises, in time order.</summary>
    public IReadOnlyList<ScriptedEvent> AllEvents() => _scenario.Kind switch
    {
        ScenarioKind.FallThenInactivity =>
        [
            new ScriptedEvent(TelecareEventType.FallDetected, _scenario.Onset),
            new ScriptedEvent(TelecareEventType.Inactivity, _scenario.Onset + InactivityAfterFall),
        ],
        ScenarioKind.PendantPress => [new ScriptedEvent(TelecareEventType.PendantPress, _scenario.Onset)],
        _ => [],
    };

    // Smoothstep: a deterioration starts slowly, speeds up and levels off, as observations tend to.
    private double Progress(TimeSpan elapsed)
    {
        if (elapsed <= _scenario.Onset)
        {
            return 0;
        }
        var x = Math.Min(1.0, (elapsed - _scenario.Onset) / _scenario.Ramp);
        return x * x * (3 - 2 * x);
    }

    private static double Towards(double from, double to, double progress) => from + (to - from) * progress;
}
