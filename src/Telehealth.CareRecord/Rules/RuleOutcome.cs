using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.CareRecord.Rules;

/// <summary>
/// What a rule concluded about one condition: it is present (<see cref="Finding"/> set) or it is back to normal
/// (<see cref="Finding"/> null). A rule returns no outcome at all when the data says nothing either way.
/// </summary>
public sealed record RuleOutcome(string ConditionKey, AlertFinding? Finding, DateTimeOffset ObservedAt)
{
    public bool IsClear => Finding is null;

    public static RuleOutcome Raise(AlertFinding finding) => new(finding.ConditionKey, finding, finding.ObservedAt);

    public static RuleOutcome Clear(string conditionKey, DateTimeOffset observedAt) => new(conditionKey, null, observedAt);
}
