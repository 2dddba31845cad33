using Telehealth.CareRecord.Evaluation;

namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// Everything one evaluation (or one staff action) changed for a patient, recorded in one transaction: the alerts and
/// their events as the core's lifecycle decided them (<see cref="AlertChange"/>), the rules' state and wake-ups, and the due items of the evaluation
/// queue that are thereby done. A change without events (a repeat counted in the alert) still writes the alert; a
/// refused change writes nothing. A crash leaves all of it or none of it.
/// </summary>
/// <param name="RuleStates">The rules' new state and wake-up times (rule state is part of what an evaluation changed).</param>
public sealed record AlertCommit(
    string PatientId,
    IReadOnlyList<AlertChange> Changes,
    IReadOnlyCollection<long> CompletedDueItems,
    IReadOnlyList<StoredRuleState>? RuleStates = null)
{
    public bool IsEmpty => Changes.All(change => change.Refused is not null) && CompletedDueItems.Count == 0 && (RuleStates?.Count ?? 0) == 0;
}
