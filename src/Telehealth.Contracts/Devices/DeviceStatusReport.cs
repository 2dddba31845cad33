namespace Telehealth.Contracts.Devices;

/// <summary>A heartbeat from a device, with its battery level when it reports one.</summary>
public sealed record DeviceStatusReport(
    string DeviceId,
    string PatientId,
    int? BatteryPercent,
    DateTimeOffset DeviceTime,
    DateTimeOffset ReceivedAt);
