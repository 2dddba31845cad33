namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// One red-flag rule for one patient and one condition. Pure: everything it remembers is in the
/// <see cref="RuleState"/> it is given and returns, and time comes only from <see cref="RuleInput.Now"/>, so an
/// evaluator can persist the state, replay observations in order, and wake the rule on a timer after a restart.
/// A new kind of rule is one new class behind this interface.
/// </summary>
public interface IAlertRule
{
    /// <summary>The condition this rule decides (and the key its state is kept under), e.g. <c>threshold:spo2</c>.</summary>
    string Key { get; }

    /// <param name="state">What the previous evaluation returned; null the first time.</param>
    RuleEvaluation Evaluate(RuleInput input, RuleState? state);
}
