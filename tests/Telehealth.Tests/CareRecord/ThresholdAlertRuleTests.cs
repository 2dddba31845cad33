using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

public sealed class ThresholdAlertRuleTests
{
    private static ThresholdAlertRule Rule(VitalKind kind) =>
        new(ThresholdSet.Defaults.For(kind)!, VitalAlertTuning.Defaults[kind]);

    [Theory]
    [InlineData(VitalKind.Spo2, 95, RuleVerdict.False, null, null)]
    [InlineData(VitalKind.Spo2, 94, RuleVerdict.False, null, null)]
    [InlineData(VitalKind.Spo2, 93, RuleVerdict.True, AlertSeverity.Medium, "below_low")]
    [InlineData(VitalKind.Spo2, 91, RuleVerdict.True, AlertSeverity.Medium, "below_low")]
    [InlineData(VitalKind.Spo2, 90, RuleVerdict.True, AlertSeverity.Critical, "below_critical_low")]
    [InlineData(VitalKind.HeartRate, 101, RuleVerdict.True, AlertSeverity.Medium, "above_high")]
    [InlineData(VitalKind.HeartRate, 130, RuleVerdict.True, AlertSeverity.Medium, "above_high")]
    [InlineData(VitalKind.HeartRate, 131, RuleVerdict.True, AlertSeverity.Critical, "above_critical_high")]
    [InlineData(VitalKind.SystolicBp, 89, RuleVerdict.True, AlertSeverity.Critical, "below_critical_low")]
    [InlineData(VitalKind.BodyTemperature, 39.2, RuleVerdict.True, AlertSeverity.Critical, "above_critical_high")]
    public void Severity_table_medium_outside_low_high_critical_outside_critical_bounds(
        VitalKind kind, double value, RuleVerdict verdict, AlertSeverity? severity, string? code)
    {
        var run = new RuleRun(Rule(kind), RuleRun.ClockAt(2026, 1, 10, 9));

        var result = run.Reading(kind, value);

        Assert.Equal(verdict, result.Verdict);
        Assert.Equal(severity, result.Finding?.Severity);
        Assert.Equal(code, result.Finding?.Code);
        Assert.Null(result.WakeAt);
    }

    [Theory]
    [Trait("Hazard", "H13")]
    [InlineData(-10, RuleVerdict.True, "below_low", "SpO2 92 % below default low 94 %")] // measured under the defaults
    [InlineData(0, RuleVerdict.False, null, null)]                                          // measured under the personal band
    public void H13_a_reading_is_judged_by_the_bands_in_force_at_its_own_device_time(
        int minutesFromChange, RuleVerdict verdict, string? code, string? reason)
    {
        var changedAt = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var personal = new VitalThreshold(VitalKind.Spo2, 84, 88, null, null);
        (VitalThreshold, bool)? InForceAt(DateTimeOffset at) => at < changedAt ? (ThresholdSet.Defaults.For(VitalKind.Spo2)!, false) : (personal, true);
        var rule = new ThresholdAlertRule(personal, VitalAlertTuning.Defaults[VitalKind.Spo2], personal: true, inForceAt: InForceAt);
        var run = new RuleRun(rule, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(changedAt.AddMinutes(minutesFromChange)));

        var result = run.Reading(VitalKind.Spo2, 92);

        Assert.Equal((verdict, code, reason), (result.Verdict, result.Finding?.Code, result.Finding?.Reason));
    }

    [Fact]
    public void The_staff_reason_names_value_and_bound_and_the_code_carries_no_value()
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));

        var finding = run.Reading(VitalKind.Spo2, 84).Finding!;

        Assert.Equal(("threshold:spo2", "SpO2 84 % below default critical low 91 %", "below_critical_low"), (finding.ConditionKey, finding.Reason, finding.Code));
        Assert.Equal(10, finding.Measure);
        Assert.Equal(3, finding.ReopenStep);
    }

    [Fact]
    public void Another_vital_is_unknown_to_the_rule_and_changes_nothing()
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        run.Reading(VitalKind.Spo2, 88);
        var before = run.State!.Json;

        var result = run.Reading(VitalKind.HeartRate, 70);

        Assert.Equal(RuleVerdict.Unknown, result.Verdict);
        Assert.Equal(before, result.State.Json);
    }

    /// <summary>SpO2 low 94, clear margin 1 (clears at ≥ 95), hold 15 min: values hovering at the edge keep one condition.</summary>
    [Theory]
    [Trait("Hazard", "H17")]
    // minutes apart, values, expected verdict after each
    [InlineData("93,94,93,94,93,94", "TTTTTT")]
    [InlineData("93,94,95", "TTF")]
    [InlineData("93,94,94,94,94", "TTTTT")]
    [InlineData("90,94,96", "TTF")]
    [InlineData("93,95,93", "TFT")]
    public void H17_a_value_hovering_at_a_band_edge_does_not_flap(string values, string verdicts)
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        var seen = "";
        foreach (var value in values.Split(',').Select(double.Parse))
        {
            seen += run.Reading(VitalKind.Spo2, value).Verdict == RuleVerdict.True ? "T" : "F";
            run.Clock.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.Equal(verdicts, seen);
    }

    [Fact]
    [Trait("Hazard", "H17")]
    public void H17_in_band_by_less_than_the_margin_clears_after_the_hold_time_shown_by_readings()
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        run.Reading(VitalKind.Spo2, 92);
        run.Clock.Advance(TimeSpan.FromMinutes(1));
        var inBand = run.Reading(VitalKind.Spo2, 94);
        Assert.Equal((RuleVerdict.True, "clearing", AlertSeverity.Medium), (inBand.Verdict, inBand.Finding!.Code, inBand.Finding.Severity));
        Assert.Equal("SpO2 94 % back inside the band, not yet cleared (clears at ≥ 95 % or after 15 min inside the band)", inBand.Finding.Reason);

        run.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(RuleVerdict.True, run.Reading(VitalKind.Spo2, 94).Verdict);
        // No timer clears it: only a reading shows the value stayed inside.
        Assert.Null(run.Last!.WakeAt);
        run.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RuleVerdict.False, run.Reading(VitalKind.Spo2, 94).Verdict);
    }

    [Theory]
    [Trait("Hazard", "H1")]
    // present value, late value → verdict, late one-off finding
    [InlineData(97, 96, RuleVerdict.Unknown, false)] // a normal old value: nothing to say
    [InlineData(97, 80, RuleVerdict.True, true)]     // a critical old value nobody saw: a one-off alert, however late
    [InlineData(97, 93, RuleVerdict.True, true)]     // below low (Medium) likewise
    [InlineData(88, 80, RuleVerdict.Unknown, false)] // the present condition is raised: the old value is part of that episode
    [InlineData(88, 97, RuleVerdict.Unknown, false)] // an old normal value never clears the present condition
    public void A_back_filled_older_reading_never_changes_the_present_condition_but_an_unseen_abnormal_one_still_alerts(
        double present, double late, RuleVerdict expected, bool oneOff)
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        run.Reading(VitalKind.Spo2, present);
        var now = run.Clock.GetUtcNow();

        var result = run.Feed(new Telehealth.CareRecord.Observations.ReadingObserved(
            new Reading("dev-1", RuleRun.Patient, VitalKind.Spo2, late, now.AddHours(-2), now)));
        var after = run.Feed(new Telehealth.CareRecord.Observations.ReadingObserved(
            new Reading("dev-1", RuleRun.Patient, VitalKind.Spo2, present, now, now)));

        Assert.Equal(expected, result.Verdict);
        Assert.Equal(oneOff, result.Finding?.Instantaneous ?? false);
        Assert.Equal(oneOff, result.Finding?.Reason.EndsWith("received after a newer reading (of 2026-01-10 09:00:00Z)", StringComparison.Ordinal) ?? false);
        // The present is judged as before: the late reading left the rule's state alone.
        Assert.Equal(present < 94 ? RuleVerdict.True : RuleVerdict.False, after.Verdict);
    }

    [Fact]
    [Trait("Hazard", "H10")]
    public void H10_a_device_clock_running_fast_does_not_keep_its_abnormal_reading_latest()
    {
        // Oximeter A's clock is 4 min fast: its 88 % is stamped 09:04 though it arrived at 09:00. Oximeter B,
        // correctly timed, sends 97 % at 09:01. The normal reading is the latest: capped at receipt, A's is 09:00.
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        Assert.Equal(RuleVerdict.True, run.Reading(VitalKind.Spo2, 88, "dev-a", clockAhead: TimeSpan.FromMinutes(4)).Verdict);
        run.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = run.Reading(VitalKind.Spo2, 97, "dev-b");

        Assert.Equal(RuleVerdict.False, result.Verdict);
    }

    [Fact]
    public void The_state_survives_a_restart()
    {
        var run = new RuleRun(Rule(VitalKind.Spo2), RuleRun.ClockAt(2026, 1, 10, 9));
        run.Reading(VitalKind.Spo2, 92);
        run.Clock.Advance(TimeSpan.FromMinutes(1));
        run.Reading(VitalKind.Spo2, 94);

        run.Restart(Rule(VitalKind.Spo2));
        run.Clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(RuleVerdict.False, run.Reading(VitalKind.Spo2, 94).Verdict);
    }
}
