using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Simulation.Model;

/// <summary>What each simulated device type is called on the platform API and what it measures or raises.</summary>
public static class SimulatedDeviceTypes
{
    public static IReadOnlyList<SimulatedDeviceType> All { get; } = Enum.GetValues<SimulatedDeviceType>();

    private static readonly VitalKind[] OximeterKinds = [VitalKind.Spo2, VitalKind.HeartRate, VitalKind.RespiratoryRate];
    private static readonly VitalKind[] BloodPressureKinds = [VitalKind.SystolicBp, VitalKind.DiastolicBp, VitalKind.HeartRate];
    private static readonly VitalKind[] ThermometerKinds = [VitalKind.BodyTemperature];
    private static readonly VitalKind[] ScaleKinds = [VitalKind.BodyWeight];
    private static readonly VitalKind[] GlucometerKinds = [VitalKind.BloodGlucose];
    private static readonly TelecareEventType[] PendantEvents = [TelecareEventType.PendantPress];
    private static readonly TelecareEventType[] FallDetectorEvents = [TelecareEventType.FallDetected, TelecareEventType.Inactivity];

    /// <summary>The device type as the platform's <c>POST /api/devices</c> expects it (snake_case).</summary>
    public static string WireName(this SimulatedDeviceType type) => type switch
    {
        SimulatedDeviceType.PulseOximeter => "pulse_oximeter",
        SimulatedDeviceType.BloodPressureMonitor => "blood_pressure_monitor",
        SimulatedDeviceType.Thermometer => "thermometer",
        SimulatedDeviceType.WeighingScale => "weighing_scale",
        SimulatedDeviceType.Glucometer => "glucometer",
        SimulatedDeviceType.PendantAlarm => "pendant_alarm",
        SimulatedDeviceType.FallDetector => "fall_detector",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParseWireName(string? name, out SimulatedDeviceType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.WireName(), name, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>
    /// Vital signs the device reports in one measurement, in publishing order. Some home oximeters also estimate
    /// respiratory rate from the pleth wave, which is how a remote NEWS2 gets a respiration rate without a visit.
    /// </summary>
    public static IReadOnlyList<VitalKind> MeasuredKinds(this SimulatedDeviceType type) => type switch
    {
        SimulatedDeviceType.PulseOximeter => OximeterKinds,
        SimulatedDeviceType.BloodPressureMonitor => BloodPressureKinds,
        SimulatedDeviceType.Thermometer => ThermometerKinds,
        SimulatedDeviceType.WeighingScale => ScaleKinds,
        SimulatedDeviceType.Glucometer => GlucometerKinds,
        _ => [],
    };

    /// <summary>Telecare events the device can raise.</summary>
    public static IReadOnlyList<TelecareEventType> RaisedEvents(this SimulatedDeviceType type) => type switch
    {
        SimulatedDeviceType.PendantAlarm => PendantEvents,
        SimulatedDeviceType.FallDetector => FallDetectorEvents,
        _ => [],
    };
}
