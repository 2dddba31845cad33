namespace Telehealth.Simulation.Model;

/// <summary>One provisioned home: the patient the platform knows, its devices and the script its readings follow.</summary>
/// <param name="Label">A non-identifying label (e.g. <c>home-007</c>), safe to log.</param>
public sealed record SimulatedHome(
    string PatientId,
    string Label,
    IReadOnlyList<SimulatedDevice> Devices,
    HomeScenario Scenario);
