using Telehealth.Simulation.Model;

namespace Telehealth.Tests.Simulation;

/// <summary>Hand-written homes with known baselines and script timings, so tests state exact expectations.</summary>
internal static class SimulationTestData
{
    public static readonly PersonalBaseline TypicalBaseline = new(
        HeartRate: 72, Spo2: 97, SystolicBp: 128, DiastolicBp: 76, BodyTemperature: 36.6,
        BodyWeight: 78.4, RespiratoryRate: 15, BloodGlucose: 6.1);

    public static readonly PersonalBaseline CopdBaseline = TypicalBaseline with { Spo2 = 91, RespiratoryRate = 16 };

    public static HomeScenario Scenario(ScenarioKind kind, bool copd = false, int onsetSeconds = 60, int rampSeconds = 300) =>
        new(kind, copd ? CopdBaseline : TypicalBaseline, copd, TimeSpan.FromSeconds(onsetSeconds), TimeSpan.FromSeconds(rampSeconds));

    public static SimulatedHome Home(ScenarioKind kind, params SimulatedDevice[] devices) =>
        new("patient-1", "home-001", devices, Scenario(kind));

    public static SimulatedDevice Device(SimulatedDeviceType type, string id = "dev-ab12") => new(id, "secret-" + id, type);
}
