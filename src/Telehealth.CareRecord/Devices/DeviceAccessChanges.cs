namespace Telehealth.CareRecord.Devices;

/// <summary>
/// Tells the device edges that a device's credentials changed (registered, rotated, revoked), so the embedded broker
/// drops its live connections and the external-broker sync rewrites mosquitto's accounts at once rather than on a timer.
/// </summary>
public sealed class DeviceAccessChanges
{
    /// <summary>Raised after the change is stored, with the device id. Handlers must be quick and must not throw.</summary>
    public event Action<string, DeviceAccessChange>? Changed;

    public void Notify(string deviceId, DeviceAccessChange change) => Changed?.Invoke(deviceId, change);
}
