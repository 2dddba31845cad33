using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.MissingData;
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
}
