using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Observations;

/// <summary>A stored vital-sign reading. <see cref="Observation.At"/> is <see cref="ObservationTime.Of(Reading)"/>.</summary>
public sealed record ReadingObserved(Reading Reading)
    : Observation(Reading.PatientId, ObservationTime.Of(Reading))
{
    public override string DeviceId => Reading.DeviceId;
}
