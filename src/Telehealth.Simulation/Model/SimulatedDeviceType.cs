namespace Telehealth.Simulation.Model;

/// <summary>The kinds of home device the simulator can play. Wire names match device types of the platform API.</summary>
public enum SimulatedDeviceType
{
    PulseOximeter,
    BloodPressureMonitor,
    Thermometer,
    WeighingScale,
    Glucometer,
    PendantAlarm,
    FallDetector,
}
