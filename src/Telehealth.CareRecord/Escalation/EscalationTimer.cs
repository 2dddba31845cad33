namespace Telehealth.CareRecord.Escalation;

/// <summary>When the escalator must look at an alert next. <see cref="Version"/> changes whenever something asks for an earlier look.</summary>
public sealed record EscalationTimer(Guid AlertId, string PatientId, DateTimeOffset DueAt, long Version);
