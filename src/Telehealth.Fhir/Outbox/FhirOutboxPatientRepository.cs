using Microsoft.Extensions.Logging;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Decorates the patient repository so a newly created patient (API or demo) is queued as a FHIR Patient at once,
/// before anything about them. The patient is stored first; a failure to queue is logged, not undone, and the
/// <see cref="FhirOutboxWriter"/> queues the Patient before that person's first other resource anyway.
/// </summary>
public sealed partial class FhirOutboxPatientRepository(
    IPatientRepository inner,
    IFhirOutbox outbox,
    FhirMapper mapper,
    ILogger<FhirOutboxPatientRepository> logger) : IPatientRepository
{
    public async Task<PatientCreateResult> CreateAsync(PatientRecord patient, CancellationToken cancellationToken = default)
    {
        var result = await inner.CreateAsync(patient, cancellationToken);
        if (result == PatientCreateResult.Created)
        {
            try
            {
                await outbox.EnqueueAsync([FhirOutboxItems.Create(patient.Id, mapper.ToPatient(patient))], cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogQueueFailed(patient.Id, exception);
            }
        }
        return result;
    }

    public Task<PatientRecord?> GetAsync(string patientId, CancellationToken cancellationToken = default) => inner.GetAsync(patientId, cancellationToken);

    public Task<IReadOnlyList<PatientRecord>> ListAsync(string? teamId = null, CancellationToken cancellationToken = default) => inner.ListAsync(teamId, cancellationToken);

    public Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken = default) => inner.ExistsAsync(patientId, cancellationToken);

    // Name, NHS number and date of birth are the FHIR Patient: the corrected resource is queued (a conditional update).
    public async Task<PatientUpdateResult> UpdateDetailsAsync(string patientId, PatientDetails details, CancellationToken cancellationToken = default)
    {
        var result = await inner.UpdateDetailsAsync(patientId, details, cancellationToken);
        if (result == PatientUpdateResult.Updated && await inner.GetAsync(patientId, cancellationToken) is { } patient)
        {
            try
            {
                await outbox.EnqueueAsync([FhirOutboxItems.Create(patient.Id, mapper.ToPatient(patient))], cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogUpdateQueueFailed(patient.Id, exception);
            }
        }
        return result;
    }

    // Scale and oxygen are not part of the FHIR Patient (NEWS2 carries its scale on each RiskAssessment): nothing to queue.
    public Task<PatientRecord?> UpdateCareSettingsAsync(string patientId, CareSettingsUpdate update, CancellationToken cancellationToken = default) =>
        inner.UpdateCareSettingsAsync(patientId, update, cancellationToken);

    public Task<IReadOnlyList<CareSettingsChange>> GetCareSettingsHistoryAsync(string patientId, CancellationToken cancellationToken = default) =>
        inner.GetCareSettingsHistoryAsync(patientId, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Patient {PatientId} is stored but could not be queued as FHIR; it is queued with their first data")]
    private partial void LogQueueFailed(string patientId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Patient {PatientId}'s corrected details are stored but could not be queued as FHIR; the FHIR server keeps the old ones until the next change")]
    private partial void LogUpdateQueueFailed(string patientId, Exception exception);
}
