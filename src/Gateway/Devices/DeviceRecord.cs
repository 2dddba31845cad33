namespace Telehealth.Gateway.Devices;

/// <summary>A registered device and the person it is assigned to. The secret itself is never stored, only its hash.</summary>
public sealed record DeviceRecord(
    string DeviceId,
    string PatientId,
    DeviceType Type,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastSeenAt,
    int? BatteryPercent);
