namespace Telehealth.CareRecord.Caseload;

/// <summary>Someone to call about the person: a carer, next of kin or key worker.</summary>
public sealed record PatientContact(string Name, ContactRelationship Relationship, string Phone);
