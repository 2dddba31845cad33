using Telehealth.Contracts.Events;

namespace Telehealth.CareRecord.Observations;

/// <summary>A stored telecare event (pendant press, fall, movement sensor, ...).</summary>
public sealed record EventObserved(TelecareEvent Event)
    : Observation(Event.PatientId, ObservationTime.Of(Event.DeviceTime, Event.ReceivedAt))
{
    public override string DeviceId => Event.DeviceId;
}
