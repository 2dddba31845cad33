using Telehealth.CareRecord.Thresholds;

namespace Telehealth.CareRecord.Caseload;

/// <summary>Per-patient threshold overrides. Each override replaces the default for its whole vital kind.</summary>
public interface IThresholdRepository
{
    Task<IReadOnlyList<VitalThreshold>> GetOverridesAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>Replaces all of the patient's overrides (an empty list returns them to the defaults).</summary>
    /// <exception cref="ThresholdValidationException">Any override is invalid or two name the same kind; nothing is stored.</exception>
    Task SetOverridesAsync(string patientId, IReadOnlyList<VitalThreshold> overrides, string setBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The thresholds in force for the patient: defaults with their overrides applied.</summary>
    Task<ThresholdSet> GetEffectiveAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>The thresholds that were in force at a moment (defaults before any override was set).</summary>
    Task<ThresholdSet> GetEffectiveAtAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every set of thresholds the patient has had, in one read. The one rule for judging a reading: the set in force
    /// at its device time (<see cref="ThresholdTimeline.At"/>) — used by the FHIR Observations and meant for the alert
    /// rules, so an Observation's interpretation and the alert decision about the same reading agree.
    /// </summary>
    Task<ThresholdTimeline> GetTimelineAsync(string patientId, CancellationToken cancellationToken = default);
}
