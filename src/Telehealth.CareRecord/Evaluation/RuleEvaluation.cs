namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// A rule's answer: the verdict, the finding when the verdict is <see cref="RuleVerdict.True"/>, the state to
/// persist (always, so the next evaluation continues from it), and when to wake the rule without data (null:
/// only new data can change the answer).
/// </summary>
public sealed record RuleEvaluation(RuleVerdict Verdict, RuleFinding? Finding, RuleState State, DateTimeOffset? WakeAt)
{
    public static RuleEvaluation True(RuleFinding finding, RuleState state, DateTimeOffset? wakeAt = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(RuleVerdict.True, finding, state, wakeAt);
    }

    public static RuleEvaluation False(RuleState state, DateTimeOffset? wakeAt = null) => new(RuleVerdict.False, null, state, wakeAt);

    public static RuleEvaluation NotYet(RuleState state, DateTimeOffset? wakeAt) => new(RuleVerdict.NotYet, null, state, wakeAt);

    public static RuleEvaluation Unknown(RuleState state, DateTimeOffset? wakeAt = null) => new(RuleVerdict.Unknown, null, state, wakeAt);
}
