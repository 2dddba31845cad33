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
        var current = state?.Read<TState>() ?? Initial;
        var (verdict, finding, next, wakeAt) = Decide(input, current);
        if (verdict == RuleVerdict.True && finding is null)
        {
            throw new InvalidOperationException($"Rule {Key} answered True without a finding.");
        }
        return new RuleEvaluation(verdict, verdict == RuleVerdict.True ? finding : null, StateOf(next, state, current), wakeAt);
    }

    /// <summary>The last state made for the rule's initial one, handed on while the rule leaves it as it is.</summary>
    private RuleState? _initialState;

    /// <summary>
    /// The state to hand on. Most inputs leave most rules as they were (a pulse reading to a fall rule): the state they
    /// were given goes on as it came, rather than a new one made for it on every rule of every reading. A state read
    /// from its JSON is not handed on as it came (its object would be read from the JSON again each time); a new one
    /// keeps the object.
    /// </summary>
    private RuleState StateOf(TState next, RuleState? given, TState current)
    {
        if (given is not null && given.Holds(next))
        {
            return given;
        }
        if (given is null && ReferenceEquals(next, current))
        {
            return _initialState is { } initial && initial.Holds(next) ? initial : _initialState = RuleState.Of(next);
        }
        return RuleState.Of(next);
    }

    /// <summary>The rule itself: verdict, finding (for True), the new state, and when to wake without data.</summary>
    protected abstract (RuleVerdict Verdict, RuleFinding? Finding, TState State, DateTimeOffset? WakeAt) Decide(RuleInput input, TState state);
}
