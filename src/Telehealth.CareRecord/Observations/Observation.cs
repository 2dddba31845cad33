namespace Telehealth.CareRecord.Observations;

/// <summary>
/// Something the care record learned about a person, handed to the rules in order. <see cref="At"/> is the
/// effective time the domain uses (see <see cref="ObservationTime"/>), not necessarily what the device said.
/// </summary>
public abstract record Observation(string PatientId, DateTimeOffset At)
{
    /// <summary>The device the observation came from, when it came from one (a staff entry has none).</summary>
    public abstract string? DeviceId { get; }
}
