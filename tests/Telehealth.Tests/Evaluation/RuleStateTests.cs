using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Evaluation.Telecare;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.Thresholds;

namespace Telehealth.Tests.Evaluation;

/// <summary>A rule's state keeps its object within a pass and is stored as the same JSON as before.</summary>
public sealed class RuleStateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 7, 30, 15, 250, TimeSpan.FromHours(1));

    [Fact]
    public void A_state_a_rule_made_is_stored_as_its_json_and_read_back_as_the_same_object()
    {
        var value = new ThresholdRuleState(Interpretation.Low, AlertSeverity.High, At, null);

        var state = RuleState.Of(value);

        Assert.Equal("""{"raised":"low","severity":"high","latestAt":"2026-11-26T07:30:15.25+01:00"}""", state.Json);
        Assert.Same(value, state.Read<ThresholdRuleState>());
    }

    [Fact]
    public void A_stored_state_reads_to_an_equal_value_and_equals_the_state_it_was_written_from()
    {
        var made = RuleState.Of(new BatteryState(At, 40, At.AddHours(2), 22, Low: true));

        var stored = new RuleState(made.Json);

        Assert.Equal(new BatteryState(At, 40, At.AddHours(2), 22, Low: true), stored.Read<BatteryState>());
        Assert.Equal(made, stored);
        Assert.True(made == stored);
        Assert.Equal(made.GetHashCode(), stored.GetHashCode());
        Assert.NotEqual(RuleState.Of(new BatteryState(At, 40, At.AddHours(2), 21, Low: true)), stored);
    }

    [Fact]
    public void Read_as_another_type_goes_through_the_json()
    {
        var state = RuleState.Of(new DeviceSilenceState(At, TimeSpan.FromHours(6)));

        var other = state.Read<ExpectedInWindowState>();

        Assert.Equal(new ExpectedInWindowState(null), other);
    }

    private static RuleInput PulseReading() =>
        new("pat-1", At, new ReadingObserved(new Reading("oxi-1", "pat-1", VitalKind.HeartRate, 72, At, At)));

    private static RuleInput FallOf(DateTimeOffset at) =>
        new("pat-1", At, new EventObserved(new TelecareEvent("fall-1", "pat-1", TelecareEventType.FallDetected, at, at)));

    [Fact]
    public void A_rule_an_input_leaves_as_it_was_hands_on_the_state_it_was_given_and_one_it_changes_gets_a_new_one()
    {
        var rule = new TelecareEventAlertRule(TelecareEventType.FallDetected);
        var given = RuleState.Of(new TelecareRuleState(At.AddMinutes(-5)));

        var left = rule.Evaluate(PulseReading(), given);
        var changed = rule.Evaluate(FallOf(At), given);

        Assert.Equal(RuleVerdict.Unknown, left.Verdict);
        Assert.Same(given, left.State);
        Assert.Equal(RuleVerdict.True, changed.Verdict);
        Assert.NotSame(given, changed.State);
        Assert.Equal("""{"latestAt":"2026-11-26T07:30:15.25+01:00"}""", changed.State.Json);
        Assert.Equal("""{"latestAt":"2026-11-26T07:25:15.25+01:00"}""", given.Json);
    }

    [Fact]
    public void A_stored_state_a_rule_leaves_as_it_was_comes_back_holding_its_object_so_the_next_input_does_not_read_the_json_again()
    {
        var rule = new TelecareEventAlertRule(TelecareEventType.FallDetected);
        var stored = new RuleState("""{"latestAt":"2026-11-26T07:25:15.25+01:00"}""");

        var first = rule.Evaluate(PulseReading(), stored);
        var second = rule.Evaluate(PulseReading(), first.State);

        Assert.NotSame(stored, first.State);
        Assert.Equal(stored, first.State);
        Assert.Same(first.State, second.State);
        Assert.Same(first.State.Read<TelecareRuleState>(), second.State.Read<TelecareRuleState>());
    }

    [Fact]
    public void Without_a_state_the_initial_one_is_made_once_for_the_inputs_that_leave_it_so_and_never_shared_with_a_changed_one()
    {
        var rule = new TelecareEventAlertRule(TelecareEventType.FallDetected);

        var first = rule.Evaluate(PulseReading(), null);
        var second = rule.Evaluate(PulseReading(), null);
        var fall = rule.Evaluate(FallOf(At), null);

        Assert.Same(first.State, second.State);
        Assert.Equal("{}", first.State.Json);
        Assert.NotSame(first.State, fall.State);
        Assert.Equal("""{"latestAt":"2026-11-26T07:30:15.25+01:00"}""", fall.State.Json);
        Assert.Equal("{}", first.State.Json);
    }
}
