using Telehealth.CareRecord.News2;

namespace Telehealth.CareRecord.Observations;

/// <summary>
/// An ACVPU assessment (new confusion included), recorded by staff or reported by a device that assesses it.
/// Exactly one of <see cref="RecordedBy"/> (a staff id) and <see cref="ReportingDeviceId"/> is set.
/// </summary>
public sealed record ConsciousnessObserved(
    string PatientId,
    ConsciousnessLevel Level,
    DateTimeOffset At,
    string? RecordedBy = null,
    string? ReportingDeviceId = null)
    : Observation(PatientId, At)
{
    public override string? DeviceId => ReportingDeviceId;
}
