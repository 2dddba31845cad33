namespace Telehealth.CareRecord.Caseload;

public interface IPatientRepository
{
    /// <summary>Stores a new patient. Validate first (<see cref="PatientRecord.Validate"/>); the store does not.</summary>
    Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default);

    Task<PatientRecord?> GetAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>Patients ordered by display name (ignoring case), then id; only one team's when <paramref name="teamId"/> is given.</summary>
    Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the person's name, NHS number and date of birth. Validate first (<see cref="PatientDetails.Validate"/>).</summary>
    Task<PatientUpdateResult> UpdateDetailsAsync(string patientId, PatientDetails details, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the person's NEWS2 scale and supplemental oxygen and records the change (who, when, why, before and
    /// after) in one transaction. Validate first (<see cref="CareSettingsUpdate.Validate"/>).
    /// </summary>
    /// <returns>The record as stored afterwards, or null when there is no such patient.</returns>
    Task<PatientRecord?> UpdateCareSettingsAsync(string patientId, CareSettingsUpdate update, CancellationToken cancellationToken = default);

    /// <summary>The person's care-setting changes, oldest first.</summary>
    Task<IReadOnlyList<CareSettingsChange>> GetCareSettingsHistoryAsync(string patientId, CancellationToken cancellationToken = default);
}
