namespace Telehealth.CareRecord.Evaluation;

/// <summary>A rule's answer about its condition at one moment (ThingsBoard's true / false / not-yet, plus unknown).</summary>
public enum RuleVerdict
{
    /// <summary>The condition is not present (after the rule's own hysteresis): an active alert may clear.</summary>
    False,

    /// <summary>
    /// On its way but not met yet (a duration half held, a deadline not reached). Nothing to raise; the state
    /// remembers how far it got and <see cref="RuleEvaluation.WakeAt"/> says when to look again.
    /// </summary>
    NotYet,

    /// <summary>The condition is present: <see cref="RuleEvaluation.Finding"/> says what and how bad.</summary>
    True,

    /// <summary>
    /// The input says nothing about this condition (another vital, no data yet). Change nothing: in particular,
    /// the absence of data is never read as "back to normal".
    /// </summary>
    Unknown,
}
