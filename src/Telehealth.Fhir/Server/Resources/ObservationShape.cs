using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>
/// What an Observation is about, independent of its value and time: one vital kind, the blood-pressure panel, or a
/// telecare event type, or an ACVPU assessment. Every Observation of a shape has the same code and category.
/// </summary>
public readonly record struct ObservationShape(VitalKind? Vital, bool BloodPressurePanel, TelecareEventType? Event, bool Consciousness = false)
{
    public static ObservationShape OfConsciousness { get; } = new(null, false, null, Consciousness: true);

    public static ObservationShape Of(VitalKind kind) =>
        kind is VitalKind.SystolicBp or VitalKind.DiastolicBp ? new(null, true, null) : new(kind, false, null);

    public static ObservationShape Of(TelecareEventType type) => new(null, false, type);
}
