namespace Telehealth.CareRecord.Caseload;

public sealed record PatientPhone(PhoneLabel Label, string Number);
