namespace Telehealth.CareRecord.Audit;

/// <summary>
/// One view or change of a person's record: who (username and role at the time), when, which person (and the team
/// the person belonged to then), what kind of action, and the resource as a route template with the method
/// (<c>PUT /api/patients/{id}/thresholds</c>). Never a value from the record: the audit says that a threshold was
/// changed, the record itself says to what.
/// </summary>
/// <param name="Sequence">Assigned by the log (null until appended); increasing, the paging cursor.</param>
public sealed record AuditEntry(
    long? Sequence,
    DateTimeOffset At,
    string Actor,
    string Role,
    string PatientId,
    string TeamId,
    AuditAction Action,
    string Resource);
