namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// Base for rules with a typed state record: reads the JSON state (or starts from <see cref="Initial"/>),
/// checks the input belongs to the patient, and writes the new state back.
/// </summary>
public abstract class AlertRule<TState> : IAlertRule where TState : class
{
    public abstract string Key { get; }

    protected abstract TState Initial { get; }

    public RuleEvaluation Evaluate(RuleInput input, RuleState? state)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(input.PatientId);
        if (input.Observation is { } observation && observation.PatientId != input.PatientId)
        {
            throw new ArgumentException("The observation belongs to another patient.", nameof(input));
        }
        var (verdict, finding, next, wakeAt) = Decide(input, state?.Read<TState>() ?? Initial);
        if (verdict == RuleVerdict.True && finding is null)
        {
            throw new InvalidOperationException($"Rule {Key} answered True without a finding.");
        }
        return new RuleEvaluation(verdict, verdict == RuleVerdict.True ? finding : null, RuleState.Of(next), wakeAt);
    }

    /// <summary>The rule itself: verdict, finding (for True), the new state, and when to wake without data.</summary>
    protected abstract (RuleVerdict Verdict, RuleFinding? Finding, TState State, DateTimeOffset? WakeAt) Decide(RuleInput input, TState state);
}
