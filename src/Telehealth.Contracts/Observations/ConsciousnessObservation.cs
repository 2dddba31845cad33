namespace Telehealth.Contracts.Observations;

/// <summary>
/// An ACVPU assessment of a person: recorded by staff (<see cref="RecordedBy"/>) or reported by a device that
/// assesses it (<see cref="DeviceId"/>); exactly one of the two is set. Identity is (PatientId, ObservedAt to the
/// millisecond): one assessment of a person at one moment.
/// </summary>
public sealed record ConsciousnessObservation(
    string PatientId,
    AcvpuLevel Level,
    DateTimeOffset ObservedAt,
    DateTimeOffset ReceivedAt,
    string? DeviceId = null,
    string? RecordedBy = null)
{
    /// <summary>"device" or "staff": who the assessment came from.</summary>
    public string SourceKind => DeviceId is not null ? "device" : "staff";

    /// <summary>The device id or the staff username.</summary>
    public string SourceId => DeviceId ?? RecordedBy ?? throw new InvalidOperationException("A consciousness observation needs a device or a staff author.");
}
