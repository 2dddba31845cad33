namespace Telehealth.CareRecord.Devices;

/// <summary>Kinds of home device the platform registers. Wire names are snake_case (pulse_oximeter, ...).</summary>
public enum DeviceType
{
    PulseOximeter,
    BloodPressureMonitor,
    Thermometer,
    WeighingScale,
    Glucometer,
    PendantAlarm,
    FallDetector,
    BedSensor,
    DoorSensor,
    InactivitySensor,
    SmokeDetector,
    TelecareHub,
}
