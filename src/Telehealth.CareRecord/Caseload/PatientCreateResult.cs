namespace Telehealth.CareRecord.Caseload;

public enum PatientCreateResult
{
    Created,
    DuplicateId,
    /// <summary>The caller's team already has a patient with this NHS number (other teams are never consulted).</summary>
    DuplicateNhsNumber,
}
