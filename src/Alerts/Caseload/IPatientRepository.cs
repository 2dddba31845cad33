namespace Telehealth.Alerts.Caseload;

public interface IPatientRepository
{
    /// <summary>Stores a new patient. Validate first (<see cref="PatientRecord.Validate"/>); the store does not.</summary>
    Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default);

    Task<PatientRecord?> GetAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>Patients ordered by display name (ignoring case), then id; only one team's when <paramref name="teamId"/> is given.</summary>
    Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken = default);
}
