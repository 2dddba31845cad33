namespace Telehealth.CareRecord.CarePlans;

/// <summary>The answer of <see cref="CarePlanEditor"/>: the next state and its revision, or why not (every problem found).</summary>
public sealed record CarePlanEdit(
    CarePlanEditOutcome Outcome,
    CarePlanRecord? Next,
    CarePlanRevision? Revision,
    IReadOnlyDictionary<string, string[]> Problems)
{
    public static CarePlanEdit NotFound { get; } = new(CarePlanEditOutcome.NotFound, null, null, new Dictionary<string, string[]>());

    public static CarePlanEdit Conflict(string what) =>
        new(CarePlanEditOutcome.Conflict, null, null, new Dictionary<string, string[]> { ["version"] = [what] });
}
