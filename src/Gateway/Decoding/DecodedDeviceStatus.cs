namespace Telehealth.Gateway.Decoding;

/// <param name="BatteryPercent">0–100 when the device reports it; null for devices that do not (mains powered, or not sent).</param>
/// <param name="DeviceTime">When the device says it sent the status, UTC, to the millisecond.</param>
/// <param name="Firmware">The firmware version the device reports, when it does.</param>
/// <param name="ClockReported">True when "t" was an absolute time: then DeviceTime minus the receive time is the device clock's offset.</param>
/// <param name="Interval">The heartbeat interval the device declares (status <c>interval</c>); null when not sent.</param>
public sealed record DecodedDeviceStatus(int? BatteryPercent, DateTimeOffset DeviceTime, string? Firmware = null, bool ClockReported = false, TimeSpan? Interval = null);
