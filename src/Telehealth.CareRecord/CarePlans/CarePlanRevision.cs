namespace Telehealth.CareRecord.CarePlans;

/// <summary>One saved version of a person's care plan: what changed, in one line, and who, when and why.</summary>
/// <param name="Sequence">The care plan version this change made (1, 2, …).</param>
/// <param name="GoalId">The goal added or changed; null for an activities change.</param>
/// <param name="GoalVersion">That goal's new version; null for an activities change.</param>
/// <param name="Summary">What changed, for the person's timeline ("Goal … status active → achieved").</param>
public sealed record CarePlanRevision(
    int Sequence,
    CarePlanRevisionKind Kind,
    Guid? GoalId,
    int? GoalVersion,
    string Summary,
    CarePlanChange Change);
