using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Caseload;

/// <summary>
/// Builds a plausible community caseload, the same one for the same seed: most homes stable, about 30% with a
/// deterioration or telecare script (every script present once there are at least 20 homes), devices that fit each
/// script, personal baselines, and fictional names.
/// </summary>
public sealed class CaseloadFactory(int seed)
{
    /// <summary>Share of homes that follow a deterioration or telecare script.</summary>
    public const double ScriptedShare = 0.3;

    /// <summary>Every scripted scenario (all but Stable).</summary>
    public static IReadOnlyList<ScenarioKind> ScriptedKinds { get; } =
        Enum.GetValues<ScenarioKind>().Where(kind => kind != ScenarioKind.Stable).ToArray();

    public int Seed { get; } = seed;

    public IReadOnlyList<PlannedHome> Plan(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(Seed);
        var scenarios = AssignScenarios(count, random);
        var names = DrawNames(count, random);
        var homes = new PlannedHome[count];
        var spo2Deteriorations = 0;
        for (var i = 0; i < count; i++)
        {
            var kind = scenarios[i];
            // Alternate COPD and non-COPD desaturations so a caseload shows both NEWS2 SpO2 scales; the first is COPD,
            // the exacerbation the demo is built around. Some stable homes have COPD too.
            var copd = kind == ScenarioKind.DeterioratingSpo2 ? spo2Deteriorations++ % 2 == 0 : random.NextDouble() < 0.12;
            var onOxygen = copd && random.NextDouble() < 0.3;
            var scenario = new HomeScenario(kind, RandomBaseline(random, copd), copd, RandomOnset(random, kind), RandomRamp(random));
            homes[i] = new PlannedHome(
                Label: $"home-{i + 1:000}",
                DisplayName: names[i],
                News2Scale: copd ? 2 : 1,
                OnSupplementalOxygen: onOxygen,
                DeviceTypes: ChooseDevices(random, kind),
                Scenario: scenario) { Number = i + 1 };
        }
        return homes;
    }

    private static ScenarioKind[] AssignScenarios(int count, Random random)
    {
        var scripted = (int)Math.Round(count * ScriptedShare, MidpointRounding.AwayFromZero);
        if (count >= 20)
        {
            scripted = Math.Max(scripted, ScriptedKinds.Count);
        }
        scripted = Math.Min(scripted, count);

        var order = ScriptedKinds.ToArray();
        random.Shuffle(order);
        var assignments = new ScenarioKind[count];
        for (var i = 0; i < count; i++)
        {
            assignments[i] = i < scripted ? order[i % order.Length] : ScenarioKind.Stable;
        }
        random.Shuffle(assignments);
        return assignments;
    }

    private static string[] DrawNames(int count, Random random)
    {
        var combinations = (
            from first in FictionalNames.FirstNames
            from surname in FictionalNames.Surnames
            select $"{first} {surname}").ToArray();
        random.Shuffle(combinations);
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            // Past the list's end names repeat with a number, still unique within the caseload.
            var round = i / combinations.Length;
            var name = combinations[i % combinations.Length];
            names[i] = round == 0 ? name : $"{name} {round + 1}";
        }
        return names;
    }

    // Resting values that, with the generator's noise and daily rhythm, always score 0 in NEWS2, so a stable home never
    // raises a flag by chance. COPD with CO2 retention lives at 88–92% (scale 2) and breathes a little faster.
    private static PersonalBaseline RandomBaseline(Random random, bool copd) => new(
        HeartRate: Between(random, 60, 80),
        Spo2: copd ? Between(random, 90, 92) : Between(random, 97.3, 98.7),
        SystolicBp: Between(random, 124, 140),
        DiastolicBp: Between(random, 66, 82),
        BodyTemperature: Between(random, 36.5, 37.0),
        BodyWeight: Between(random, 52, 105),
        RespiratoryRate: copd ? Between(random, 15, 17) : Between(random, 14, 16),
        BloodGlucose: Between(random, 5.0, 7.0));

    // Stable homes get an onset too, so a devices file that names a script for one of them still starts it later.
    private static TimeSpan RandomOnset(Random random, ScenarioKind kind) => kind switch
    {
        ScenarioKind.FallThenInactivity or ScenarioKind.PendantPress => TimeSpan.FromSeconds(Between(random, 60, 240)),
        _ => TimeSpan.FromSeconds(Between(random, 30, 180)),
    };

    private static TimeSpan RandomRamp(Random random) => TimeSpan.FromSeconds(Between(random, 240, 360));

    private static IReadOnlyList<SimulatedDeviceType> ChooseDevices(Random random, ScenarioKind kind)
    {
        // Every remotely monitored home has an oximeter; the rest follow the person's conditions, and each script
        // gets the device that can show it.
        var chosen = new SortedSet<SimulatedDeviceType> { SimulatedDeviceType.PulseOximeter };
        AddIf(chosen, SimulatedDeviceType.BloodPressureMonitor, random.NextDouble() < 0.7 || kind == ScenarioKind.Hypotension);
        AddIf(chosen, SimulatedDeviceType.Thermometer, random.NextDouble() < 0.6 || kind == ScenarioKind.RisingTemperature);
        AddIf(chosen, SimulatedDeviceType.WeighingScale, random.NextDouble() < 0.35);
        AddIf(chosen, SimulatedDeviceType.Glucometer, random.NextDouble() < 0.2 || kind == ScenarioKind.Hypoglycaemia);
        AddIf(chosen, SimulatedDeviceType.PendantAlarm, random.NextDouble() < 0.6 || kind == ScenarioKind.PendantPress);
        AddIf(chosen, SimulatedDeviceType.FallDetector, random.NextDouble() < 0.3 || kind == ScenarioKind.FallThenInactivity);
        return chosen.ToArray();
    }

    private static void AddIf(SortedSet<SimulatedDeviceType> set, SimulatedDeviceType type, bool condition)
    {
        if (condition)
        {
            set.Add(type);
        }
    }

    private static double Between(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
