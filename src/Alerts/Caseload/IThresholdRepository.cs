using Telehealth.CareRecord.Thresholds;

namespace Telehealth.Alerts.Caseload;

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
}
