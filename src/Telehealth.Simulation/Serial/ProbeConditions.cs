namespace Telehealth.Simulation.Serial;

/// <summary>What is going on at the probe, as a simulated scenario says; each encoder shows it the way its device would.</summary>
[Flags]
public enum ProbeConditions
{
    None = 0,
    FingerOut = 1 << 0,
    ProbeError = 1 << 1,
    LowPerfusion = 1 << 2,
    MarginalPerfusion = 1 << 3,
    Artifact = 1 << 4,
    OutOfTrack = 1 << 5,
    SensorAlarm = 1 << 6,
    LowBattery = 1 << 7,
    Searching = 1 << 8,
    LowSignalQuality = 1 << 9,
    SmartPoint = 1 << 10,
}
