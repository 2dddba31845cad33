namespace Telehealth.Simulation.Serial;

/// <summary>What an oximeter shows for one second: SpO2 %, pulse beat/min (null: the device has no value) and conditions.</summary>
public readonly record struct OximeterReadout(int? Spo2, int? Pulse, ProbeConditions Conditions = ProbeConditions.None);
