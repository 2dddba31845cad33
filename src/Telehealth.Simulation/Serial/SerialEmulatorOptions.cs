namespace Telehealth.Simulation.Serial;

/// <summary>One emulated serial oximeter: where it writes, what it says, how fast, and what goes wrong on the wire.</summary>
public sealed record SerialEmulatorOptions
{
    public required string PortPath { get; init; }
    public required SerialDeviceFormat Format { get; init; }
    public SerialScenario Scenario { get; init; } = SerialScenario.Normal;

    /// <summary>Scenario seconds per real second: 1 is the device's real cadence, 10 a test clock ten times faster.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Stop after this many scenario seconds; null runs until cancelled.</summary>
    public int? Seconds { get; init; }

    /// <summary>First scenario second to play (a restarted simulator can continue where it was).</summary>
    public int StartSecond { get; init; }

    public SerialFaults Faults { get; init; } = SerialFaults.None;
    public int Seed { get; init; } = 42;
}
