using Hl7.Fhir.Model;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Fhir.Mapping;

/// <summary>Device type names and the IEEE 11073-20601 specialization codes for the kinds the PHD IG covers.</summary>
internal static class DeviceLabels
{
    public static string Display(DeviceType type) => type switch
    {
        DeviceType.PulseOximeter => "Pulse oximeter",
        DeviceType.BloodPressureMonitor => "Blood pressure monitor",
        DeviceType.Thermometer => "Thermometer",
        DeviceType.WeighingScale => "Weighing scale",
        DeviceType.Glucometer => "Blood glucose meter",
        DeviceType.PendantAlarm => "Pendant alarm",
        DeviceType.FallDetector => "Fall detector",
        DeviceType.BedSensor => "Bed occupancy sensor",
        DeviceType.DoorSensor => "Door sensor",
        DeviceType.InactivitySensor => "Inactivity sensor",
        DeviceType.SmokeDetector => "Smoke detector",
        DeviceType.TelecareHub => "Telecare hub",
        _ => type.WireName(),
    };

    /// <summary>
    /// MDC_DEV_SPEC_PROFILE_* in the 32-bit form FHIR uses: partition 8 (infrastructure) × 65536 + term code
    /// (4100 pulse oximeter, 4103 BP, 4104 thermometer, 4111 scale, 4113 glucose). Null for telecare devices, which
    /// have no 11073 specialization.
    /// </summary>
    public static Coding? MdcSpecialization(DeviceType type) => type switch
    {
        DeviceType.PulseOximeter => Mdc(4100, "MDC_DEV_SPEC_PROFILE_PULS_OXIM"),
        DeviceType.BloodPressureMonitor => Mdc(4103, "MDC_DEV_SPEC_PROFILE_BP"),
        DeviceType.Thermometer => Mdc(4104, "MDC_DEV_SPEC_PROFILE_TEMP"),
        DeviceType.WeighingScale => Mdc(4111, "MDC_DEV_SPEC_PROFILE_SCALE"),
        DeviceType.Glucometer => Mdc(4113, "MDC_DEV_SPEC_PROFILE_GLUCOSE"),
        _ => null,
    };

    private const int InfrastructurePartition = 8;

    private static Coding Mdc(int termCode, string display) =>
        new(FhirSystems.Mdc, (InfrastructurePartition * 65536 + termCode).ToString(System.Globalization.CultureInfo.InvariantCulture), display);
}
