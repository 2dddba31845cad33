namespace Telehealth.Simulation.Model;

/// <summary>A provisioned device: the id and secret it authenticates to the broker with, and what it is.</summary>
public sealed record SimulatedDevice(string DeviceId, string Secret, SimulatedDeviceType Type)
{
    /// <summary>Keeps the secret out of logs and debugger views.</summary>
    public override string ToString() => $"{Type.WireName()} {DeviceId}";
}
