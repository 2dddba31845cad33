using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

public sealed class DurationAlertRuleTests
{
    /// <summary>SpO2 below 92 % for 10 minutes; a gap of more than 5 minutes between readings breaks the hold.</summary>
    private static readonly DurationCondition Spo2Below92 = new(
        VitalKind.Spo2, Below: true, Limit: 92, Duration: TimeSpan.FromMinutes(10), MaxGap: TimeSpan.FromMinutes(5),
        AlertSeverity.High, ClearMargin: 1);

    private static RuleRun Run() => new(new DurationAlertRule(Spo2Below92), RuleRun.ClockAt(2026, 1, 10, 9));

    [Fact]
    public void The_key_names_vital_direction_limit_and_duration()
    {
        Assert.Equal("duration:spo2:below:92:10m", new DurationAlertRule(Spo2Below92).Key);
    }

    /// <summary>Readings every N minutes: the verdict after each, and whether the 10 minutes were reached.</summary>
    [Theory]
    [InlineData(2, "91,90,91,90,91,90", "NNNNNT")]
    [InlineData(2, "91,90,93,90,91,90", "NNFNNN")]
    [InlineData(6, "91,90,91", "NNN")]
    [InlineData(5, "91,90,91", "NNT")]
    [InlineData(2, "95,96", "FF")]
    public void Not_yet_while_held_for_less_than_the_duration(int minutesApart, string values, string verdicts)
    {
        var run = Run();
        var seen = "";
        foreach (var value in values.Split(',').Select(double.Parse))
        {
            seen += run.Reading(VitalKind.Spo2, value).Verdict switch
            {
                RuleVerdict.True => "T",
                RuleVerdict.NotYet => "N",
                _ => "F",
            };
            run.Clock.Advance(TimeSpan.FromMinutes(minutesApart));
        }

        Assert.Equal(verdicts, seen);
    }

    [Fact]
    public void Not_yet_wakes_when_the_duration_would_be_met_and_is_met_by_the_clock_alone()
    {
        var run = Run();
        var start = run.Clock.GetUtcNow();
        run.Reading(VitalKind.Spo2, 90);
        run.Clock.Advance(TimeSpan.FromMinutes(4));
        var second = run.Reading(VitalKind.Spo2, 89);
        Assert.Equal((RuleVerdict.NotYet, start.AddMinutes(9)), (second.Verdict, second.WakeAt));

        // The last value persists up to the gap limit: at 09:09 (4 + 5) the run is broken, so the wake is then.
        var woken = run.WakeAt(second.WakeAt!.Value);
        Assert.Equal(RuleVerdict.False, woken.Verdict);

        run.Reading(VitalKind.Spo2, 90);
        run.Clock.Advance(TimeSpan.FromMinutes(5));
        var third = run.Reading(VitalKind.Spo2, 90);
        run.Clock.Advance(TimeSpan.FromMinutes(4));
        var fourth = run.Reading(VitalKind.Spo2, 90);
        Assert.Equal(RuleVerdict.NotYet, third.Verdict);
        Assert.Equal(start.AddMinutes(19), fourth.WakeAt);
        var met = run.WakeAt(fourth.WakeAt!.Value);
        Assert.Equal((RuleVerdict.True, AlertSeverity.High, "below_for_duration"), (met.Verdict, met.Finding!.Severity, met.Finding.Code));
        Assert.Equal("SpO2 below 92 % for 10 min or more (latest 90 %)", met.Finding.Reason);
    }

    [Fact]
    public void A_half_met_duration_survives_a_restart()
    {
        var run = Run();
        run.Reading(VitalKind.Spo2, 90);
        run.Clock.Advance(TimeSpan.FromMinutes(4));
        run.Reading(VitalKind.Spo2, 90);
        run.Clock.Advance(TimeSpan.FromMinutes(4));
        run.Reading(VitalKind.Spo2, 90);

        run.Restart(new DurationAlertRule(Spo2Below92));
        run.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(RuleVerdict.True, run.Reading(VitalKind.Spo2, 90).Verdict);
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public void H16_once_met_silence_never_clears_it_only_a_reading_past_the_margin_does()
    {
        var run = Run();
        for (var i = 0; i < 6; i++)
        {
            run.Reading(VitalKind.Spo2, 90);
            run.Clock.Advance(TimeSpan.FromMinutes(2));
        }
        Assert.Equal(RuleVerdict.True, run.Last!.Verdict);

        Assert.Equal(RuleVerdict.True, run.WakeAt(run.Clock.GetUtcNow().AddHours(6)).Verdict);
        Assert.Equal(RuleVerdict.True, run.Reading(VitalKind.Spo2, 92.5).Verdict);
        Assert.Equal(RuleVerdict.False, run.Reading(VitalKind.Spo2, 93).Verdict);
    }
}
