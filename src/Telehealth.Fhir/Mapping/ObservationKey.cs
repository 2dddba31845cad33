using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// An Observation id parsed back into the store key it was built from: device, device time and what was measured.
/// Readings and events are stored under (DeviceId, Kind/Type, DeviceTime), so this is enough to find them.
/// </summary>
/// <param name="Vital">Set for <see cref="ObservationKeyKind.Vital"/>.</param>
/// <param name="EventType">Set for <see cref="ObservationKeyKind.TelecareEvent"/>.</param>
public sealed record ObservationKey(
    ObservationKeyKind Kind,
    string DeviceId,
    DateTimeOffset DeviceTime,
    VitalKind? Vital = null,
    TelecareEventType? EventType = null)
{
    /// <summary>The stored reading kinds behind the Observation: one kind, systolic + diastolic for a panel, none for an event.</summary>
    public IReadOnlyList<VitalKind> ReadingKinds => Kind switch
    {
        ObservationKeyKind.Vital => [Vital!.Value],
        ObservationKeyKind.BloodPressurePanel => [VitalKind.SystolicBp, VitalKind.DiastolicBp],
        _ => [],
    };
}
