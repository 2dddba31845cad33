namespace Telehealth.CareRecord.Devices;

/// <param name="SeenAt">The status message's time (device time, or receive time when it carried none).</param>
/// <param name="ClockOffset">Device clock minus platform clock, when the status carried its own time.</param>
public sealed record DeviceHeartbeat(DateTimeOffset SeenAt, int? BatteryPercent, string? Firmware = null, TimeSpan? ClockOffset = null);
