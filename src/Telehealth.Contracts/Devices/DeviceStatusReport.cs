namespace Telehealth.Contracts.Devices;

/// <summary>
/// A heartbeat from a device, with its battery level and its declared heartbeat interval when it reports them. It is
/// queued for evaluation when accepted: it is how the care record knows a device is alive (silence) and charged.
/// </summary>
/// <param name="DeviceType">The device's registered type as a wire name (<c>pendant_alarm</c>), so findings can name it.</param>
/// <param name="Interval">How often the device promises a status (the status <c>interval</c>, seconds); null when not declared.</param>
public sealed record DeviceStatusReport(
    string DeviceId,
    string PatientId,
    int? BatteryPercent,
    DateTimeOffset DeviceTime,
    DateTimeOffset ReceivedAt,
    string DeviceType = "unknown",
    TimeSpan? Interval = null);
