namespace Telehealth.CareRecord.Caseload;

public enum PatientUpdateResult
{
    Updated,
    UnknownPatient,
    /// <summary>Another person in the same team already has this NHS number (other teams are never consulted).</summary>
    DuplicateNhsNumber,
}
