using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Events;

namespace Telehealth.CareRecord.Evaluation.Telecare;

/// <summary>
/// A telecare event of one type is an instantaneous finding: every event is news (a second pendant press is a
/// second call for help). Severities are those of <see cref="TelecareEventMeaning.SeverityOf"/>. Any other input is
/// Unknown: an event alert has no state to clear.
/// </summary>
public sealed class TelecareEventAlertRule(TelecareEventType type, string? deviceType = null) : AlertRule<TelecareRuleState>
{
    public override string Key { get; } = ConditionKeys.Event(type);

    protected override TelecareRuleState Initial { get; } = new();

    protected override (RuleVerdict, RuleFinding?, TelecareRuleState, DateTimeOffset?) Decide(RuleInput input, TelecareRuleState state)
    {
        if (input.Observation is not EventObserved { Event: var telecareEvent } observed || telecareEvent.Type != type)
        {
            return (RuleVerdict.Unknown, null, state, null);
        }
        var finding = new RuleFinding(Key, TelecareEventMeaning.SeverityOf(type), type.WireName(),
            $"{TelecareEventMeaning.Describe(type)} (device {telecareEvent.DeviceId})", Instantaneous: true, observed.At,
            Device: deviceType is null ? null : new DeviceRef(telecareEvent.DeviceId, deviceType));
        var latest = state.LatestAt is { } at && at > observed.At ? at : observed.At;
        return (RuleVerdict.True, finding, new TelecareRuleState(latest), null);
    }
}
