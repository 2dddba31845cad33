using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// A red flag for one patient and one condition, as the care-record core keeps it (successor of the running
/// engine's <see cref="Lifecycle.Alert"/>). One not-resolved alert per patient and condition; related alerts of
/// a person share an <see cref="IncidentId"/>.
/// </summary>
/// <param name="Code">Value-free reason code of the latest finding (what logs carry).</param>
/// <param name="OpenedAt">When it was raised or last re-opened: escalation counts from here.</param>
/// <param name="RespondBy">When someone must have acknowledged it (response deadline for its severity).</param>
/// <param name="LastMeasure">How far out the latest finding was (see <see cref="Evaluation.RuleFinding.Measure"/>).</param>
/// <param name="ReopenStep">How much further out, after acknowledgement, re-opens it.</param>
/// <param name="AcknowledgedSeverity">Severity staff acknowledged: a finding above it re-opens the alert.</param>
/// <param name="AcknowledgedMeasure">Measure staff acknowledged: a finding <see cref="ReopenStep"/> beyond it re-opens.</param>
/// <param name="Calls">Follow-up calls about it, in order (null before the first).</param>
public sealed record AlertCase(
    Guid Id,
    string PatientId,
    string ConditionKey,
    Guid IncidentId,
    AlertSeverity Severity,
    string Code,
    string Reason,
    DeviceRef? Device,
    AlertCaseStatus Status,
    bool ConditionActive,
    bool Instantaneous,
    bool SelfClearing,
    int Occurrences,
    DateTimeOffset RaisedAt,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ObservedAt,
    DateTimeOffset RespondBy,
    double? LastMeasure = null,
    double? ReopenStep = null,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    AlertSeverity? AcknowledgedSeverity = null,
    double? AcknowledgedMeasure = null,
    string? AssignedTo = null,
    DateTimeOffset? FollowUpStartedAt = null,
    string? FollowUpBy = null,
    DateTimeOffset? ClearedAt = null,
    DateTimeOffset? ResolvedAt = null,
    string? ResolvedBy = null,
    AlertOutcome? Outcome = null,
    IReadOnlyList<FollowUp.CallAttempt>? Calls = null)
{
    public bool IsResolved => Status == AlertCaseStatus.Resolved;
}
