using Hl7.Fhir.Model;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Domain.Lifecycle;
using Telehealth.Alerts.Domain.News2;
using Telehealth.Alerts.Domain.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Gateway.Devices;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// Domain records → FHIR R4 resources. Pure: no I/O; everything a resource needs is passed in (including the
/// thresholds that were in force when a reading was measured). Resource ids and identifiers are deterministic,
/// so mapping the same record twice gives the same resource (idempotent writes).
/// API FIXED for the other FHIR parts (served endpoint, outbox); bodies are being written in helper/fhir-mapping.
/// </summary>
public sealed class FhirMapper
{
    public Patient ToPatient(PatientRecord patient) => throw new NotImplementedException();

    public Device ToDevice(DeviceRecord device) => throw new NotImplementedException();

    /// <summary>
    /// Readings → vital-signs Observations. Systolic and diastolic readings of the same device and device time become
    /// one 85354-9 blood-pressure panel; a lone component becomes a panel with the other component absent.
    /// </summary>
    /// <param name="thresholdsAt">The patient's thresholds in force at a device time (interpretation, referenceRange).</param>
    public IReadOnlyList<Observation> ToObservations(IReadOnlyList<Reading> readings, Func<Reading, ThresholdSet> thresholdsAt) =>
        throw new NotImplementedException();

    public Observation ToObservation(TelecareEvent telecareEvent) => throw new NotImplementedException();

    public RiskAssessment ToRiskAssessment(News2Assessment assessment) => throw new NotImplementedException();

    public Flag ToFlag(Alert alert) => throw new NotImplementedException();

    /// <summary>The follow-up call task for a red flag that needs one; null when the alert needs no call.</summary>
    public Hl7.Fhir.Model.Task? ToTask(Alert alert) => throw new NotImplementedException();
}
