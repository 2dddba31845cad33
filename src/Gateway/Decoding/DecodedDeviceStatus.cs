namespace Telehealth.Gateway.Decoding;

/// <param name="BatteryPercent">0–100 when the device reports it; null for devices that do not (mains powered, or not sent).</param>
/// <param name="DeviceTime">When the device says it sent the status, UTC, to the millisecond.</param>
/// <param name="Interval">The heartbeat interval the device declares (status <c>interval</c>); null when not sent.</param>
public sealed record DecodedDeviceStatus(int? BatteryPercent, DateTimeOffset DeviceTime, TimeSpan? Interval = null);
