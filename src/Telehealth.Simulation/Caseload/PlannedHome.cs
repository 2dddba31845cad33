using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Caseload;

/// <summary>
/// A home before the platform knows it: what to create (the patient, then one device per type) and the script its
/// devices will follow once provisioned.
/// </summary>
/// <param name="Label">Stable, non-identifying label such as <c>home-007</c>; safe to log.</param>
/// <param name="DisplayName">A fictional person's name for the patient record. Never log it.</param>
/// <param name="News2Scale">NEWS2 SpO2 scale, 1 or 2 (2 for hypercapnic respiratory failure, target 88–92%).</param>
/// <param name="OnSupplementalOxygen">Whether the person is on (long-term) oxygen, which NEWS2 scores.</param>
public sealed record PlannedHome(
    string Label,
    string DisplayName,
    int News2Scale,
    bool OnSupplementalOxygen,
    IReadOnlyList<SimulatedDeviceType> DeviceTypes,
    HomeScenario Scenario)
{
    /// <summary>Position in the plan, 1-based (home-001 is 1): with a source's block it gives the person's stable NHS number.</summary>
    public int Number { get; init; } = 1;

    /// <summary>The person's stable identifier for a provisioning source (<see cref="SyntheticNhsNumbers"/>).</summary>
    public string NhsNumberFor(int block) => SyntheticNhsNumbers.For(block, Number);

    /// <summary>The runnable home once the platform has assigned the patient id and each device's id and secret.</summary>
    public SimulatedHome ToHome(string patientId, IReadOnlyList<SimulatedDevice> devices)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(devices);
        return new SimulatedHome(patientId, Label, devices, Scenario);
    }
}
