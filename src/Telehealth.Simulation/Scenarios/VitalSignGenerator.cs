using Telehealth.Contracts.Readings;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Scenarios;

/// <summary>
/// What a device publishes at a scenario time: the script's true values plus measurement noise, rounded to the
/// resolution home devices display. Pure and deterministic: the same seed, device and time give the same readings.
/// </summary>
public sealed class VitalSignGenerator(int seed)
{
    // Noise is clamped at 2.5 SD: a real device occasionally misreads, but a Stable home must stay within normal
    // ranges so the demo's red flags come only from the scripted homes.
    private const double NoiseLimit = 2.5;

    public int Seed { get; } = seed;

    public IReadOnlyList<SimulatedReading> ReadingsAt(SimulatedHome home, SimulatedDevice device, TimeSpan elapsed) =>
        ReadingsAt(new ScenarioScript(home.Scenario), device, elapsed);

    public IReadOnlyList<SimulatedReading> ReadingsAt(ScenarioScript script, SimulatedDevice device, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(device);
        var kinds = device.Type.MeasuredKinds();
        if (kinds.Count == 0)
        {
            return [];
        }
        var state = script.StateAt(elapsed);
        var milliseconds = (long)elapsed.TotalMilliseconds;
        var readings = new SimulatedReading[kinds.Count];
        for (var i = 0; i < kinds.Count; i++)
        {
            var kind = kinds[i];
            var noise = DeterministicNoise.ClampedGaussian(Seed, device.DeviceId, kind, milliseconds, NoiseLimit);
            readings[i] = new SimulatedReading(kind, Measure(kind, state.ValueOf(kind) + noise * NoiseSd(kind)));
        }
        return readings;
    }

    /// <summary>Battery level a device reports in its heartbeat: a per-device start that drains slowly with scenario time.</summary>
    public int BatteryPercentAt(string deviceId, TimeSpan elapsed)
    {
        var start = 70 + (int)(DeterministicNoise.Uniform(Seed, deviceId) * 31);
        var drained = (int)(elapsed.TotalHours / 3);
        return Math.Max(5, start - drained);
    }

    // Typical spread of repeated home measurements of one person at rest.
    private static double NoiseSd(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => 2.0,
        VitalKind.Spo2 => 0.5,
        VitalKind.SystolicBp => 3.5,
        VitalKind.DiastolicBp => 2.5,
        VitalKind.BodyTemperature => 0.08,
        VitalKind.BodyWeight => 0.15,
        VitalKind.RespiratoryRate => 0.7,
        VitalKind.BloodGlucose => 0.25,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // Devices show whole beats, percent, mmHg and breaths, and one decimal for °C, kg and mmol/L.
    private static double Measure(VitalKind kind, double value) => kind switch
    {
        VitalKind.Spo2 => Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 50, 100),
        VitalKind.HeartRate or VitalKind.SystolicBp or VitalKind.DiastolicBp or VitalKind.RespiratoryRate =>
            Math.Max(0, Math.Round(value, MidpointRounding.AwayFromZero)),
        _ => Math.Max(0, Math.Round(value, 1, MidpointRounding.AwayFromZero)),
    };
}
