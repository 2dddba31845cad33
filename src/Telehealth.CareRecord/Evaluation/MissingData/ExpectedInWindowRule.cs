using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// The one model of "expected and did not come" in a daily window: at each close of the window (local time,
/// DST-aware) the rule asks whether what was expected was seen since the window opened. True from the close
/// until it is seen (late counts: it clears); False once seen. WakeAt is always the next close, so a scheduler
/// needs no data to raise it. Windows that closed before <c>watchingSince</c> are never judged.
/// </summary>
public abstract class ExpectedInWindowRule(DailyWindow window, DateTimeOffset watchingSince) : AlertRule<ExpectedInWindowState>
{
    protected override ExpectedInWindowState Initial { get; } = new();

    /// <summary>True when <paramref name="observation"/> is what this rule expects.</summary>
    protected abstract bool IsExpected(Observation observation);

    protected abstract RuleFinding Missing(DateTimeOffset windowOpened, DateTimeOffset windowClosed);

    protected override (RuleVerdict, RuleFinding?, ExpectedInWindowState, DateTimeOffset?) Decide(RuleInput input, ExpectedInWindowState state)
    {
        var now = input.Now;
        var next = window.NextClose(now);
        if (input.Observation is { } observation)
        {
            if (!IsExpected(observation))
            {
                return (RuleVerdict.Unknown, null, state, next);
            }
            if (state.LastSeenAt is not { } last || observation.At > last)
            {
                state = state with { LastSeenAt = observation.At };
            }
        }
        var (opens, closes) = window.LatestClosed(now);
        if (closes <= watchingSince)
        {
            return (RuleVerdict.NotYet, null, state, next);
        }
        if (state.LastSeenAt is { } seen && seen >= opens)
        {
            return (RuleVerdict.False, null, state, next);
        }
        return (RuleVerdict.True, Missing(opens, closes), state, next);
    }
}
