using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Devices;

/// <summary>
/// What each device type may send. Anything else is refused (<c>not_allowed_for_device_type</c>): an oximeter's
/// credentials must not be able to file a blood pressure, a temperature or a pendant press against a person, and a
/// reading that no such device measures is a fault or an attack either way. Status messages (heartbeats) are
/// allowed from every type. docs/device-api.md lists this table; keep the two the same.
/// </summary>
public static class DeviceCapabilities
{
    private static readonly TelecareEventType[] BatteryOnly = [TelecareEventType.LowBattery];
    private static readonly TelecareEventType[] Sensor = [TelecareEventType.LowBattery, TelecareEventType.Tamper];

    /// <summary>Vital-sign readings the type may send.</summary>
    public static IReadOnlyList<VitalKind> Readings(DeviceType type) => type switch
    {
        // Respiratory rate: oximeters that derive it from the pleth waveform (e.g. Masimo RRp) report it, and NEWS2
        // at home has no other source for it.
        DeviceType.PulseOximeter => [VitalKind.Spo2, VitalKind.HeartRate, VitalKind.RespiratoryRate],
        DeviceType.BloodPressureMonitor => [VitalKind.SystolicBp, VitalKind.DiastolicBp, VitalKind.HeartRate],
        DeviceType.Thermometer => [VitalKind.BodyTemperature],
        DeviceType.WeighingScale => [VitalKind.BodyWeight],
        DeviceType.Glucometer => [VitalKind.BloodGlucose],
        // Under-mattress sensors measure heart and breathing rate through the night (ballistocardiography).
        DeviceType.BedSensor => [VitalKind.HeartRate, VitalKind.RespiratoryRate],
        _ => [],
    };

    /// <summary>Telecare events the type may send.</summary>
    public static IReadOnlyList<TelecareEventType> Events(DeviceType type) => type switch
    {
        DeviceType.PulseOximeter or DeviceType.BloodPressureMonitor or DeviceType.Thermometer
            or DeviceType.WeighingScale or DeviceType.Glucometer => BatteryOnly,
        DeviceType.PendantAlarm => [TelecareEventType.PendantPress, TelecareEventType.LowBattery, TelecareEventType.Tamper],
        DeviceType.FallDetector => [TelecareEventType.FallDetected, TelecareEventType.Inactivity, TelecareEventType.LowBattery, TelecareEventType.Tamper],
        DeviceType.BedSensor => [TelecareEventType.BedAbsence, TelecareEventType.LowBattery, TelecareEventType.Tamper],
        DeviceType.DoorSensor => [TelecareEventType.DoorExit, .. Sensor],
        DeviceType.InactivitySensor => [TelecareEventType.Inactivity, .. Sensor],
        DeviceType.SmokeDetector => [TelecareEventType.Smoke, TelecareEventType.CarbonMonoxide, .. Sensor],
        // The home unit relays the alarms of the telecare sensors paired with it (pendant, smoke, flood, ...) and
        // reports its own mains failure; it measures no vital signs.
        DeviceType.TelecareHub => Enum.GetValues<TelecareEventType>(),
        _ => [],
    };

    public static bool MaySend(this DeviceType type, VitalKind kind) => Readings(type).Contains(kind);

    public static bool MaySend(this DeviceType type, TelecareEventType eventType) => Events(type).Contains(eventType);
}
