namespace Telehealth.Alerts.Caseload;

public enum PatientCreateResult
{
    Created,
    DuplicateId,
    DuplicateNhsNumber,
}
