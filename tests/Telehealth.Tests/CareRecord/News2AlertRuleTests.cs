using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

public sealed class News2AlertRuleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly News2CareSettings OnAir = new(News2Scale.Scale1, OnSupplementalOxygen: false, Consciousness: null);

    private static RuleRun Run(News2CareSettings? care = null) =>
        new(new News2AlertRule(care ?? OnAir, Window), RuleRun.ClockAt(2026, 1, 10, 9));

    private static RuleEvaluation Set(RuleRun run, double spo2, double pulse, double systolic, double temperature)
    {
        run.Reading(VitalKind.Spo2, spo2, "oxi-1");
        run.Reading(VitalKind.HeartRate, pulse, "oxi-1");
        run.Reading(VitalKind.SystolicBp, systolic, "cuff-1");
        return run.Reading(VitalKind.BodyTemperature, temperature, "thermo-1");
    }

    [Theory]
    [InlineData(97, 72, 125, 36.8, RuleVerdict.False, null, null)]
    [InlineData(91, 72, 125, 36.8, RuleVerdict.True, AlertSeverity.Medium, "news2_single_parameter_3")]
    [InlineData(93, 115, 105, 36.8, RuleVerdict.True, AlertSeverity.High, "news2_medium")]
    [InlineData(84, 135, 88, 36.8, RuleVerdict.True, AlertSeverity.Critical, "news2_high")]
    public void Risk_bands_map_to_severity(double spo2, double pulse, double systolic, double temperature,
        RuleVerdict verdict, AlertSeverity? severity, string? code)
    {
        var result = Set(Run(), spo2, pulse, systolic, temperature);

        Assert.Equal((verdict, severity, code), (result.Verdict, result.Finding?.Severity, result.Finding?.Code));
    }

    [Fact]
    public void The_reason_lists_the_scoring_parameters_and_what_is_missing()
    {
        var result = Set(Run(), 93, 115, 105, 36.8);

        Assert.Equal("NEWS2 5 (medium risk): SpO2 2, systolic BP 1, pulse 2; partial: missing respiration rate, consciousness", result.Finding!.Reason);
        Assert.Equal((5.0, 2.0), (result.Finding.Measure, result.Finding.ReopenStep));
    }

    [Fact]
    public void It_wakes_when_the_oldest_reading_in_the_window_ages_out()
    {
        var run = Run();
        var start = run.Clock.GetUtcNow();
        run.Reading(VitalKind.Spo2, 97);
        run.Clock.Advance(TimeSpan.FromHours(2));

        var result = run.Reading(VitalKind.HeartRate, 72);

        Assert.Equal(start + Window, result.WakeAt);
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public void H16_readings_ageing_past_the_window_plus_one_normal_reading_do_not_clear_a_critical_news2()
    {
        var run = Run();
        Assert.Equal(AlertSeverity.Critical, Set(run, 84, 135, 88, 36.8).Finding!.Severity);

        run.Clock.Advance(TimeSpan.FromHours(25));
        var result = run.Reading(VitalKind.BodyTemperature, 36.9, "thermo-1");

        Assert.Equal(RuleVerdict.True, result.Verdict);
        Assert.Equal((AlertSeverity.Critical, "news2_stale"), (result.Finding!.Severity, result.Finding.Code));
        Assert.Equal("NEWS2 9 from 2026-01-10 09:00 UTC is out of date: needs a new set of observations (no recent SpO2, systolic BP, pulse)",
            result.Finding.Reason);
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public void H16_ageing_alone_leaves_a_critical_news2_standing_as_stale()
    {
        var run = Run();
        var raised = Set(run, 84, 135, 88, 36.8);

        var woken = run.WakeAt(raised.WakeAt!.Value);

        Assert.Equal((RuleVerdict.True, AlertSeverity.Critical, "news2_stale"), (woken.Verdict, woken.Finding!.Severity, woken.Finding.Code));
        Assert.Null(woken.WakeAt);
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public void H16_one_parameter_measured_again_is_not_a_fresh_set()
    {
        var run = Run();
        Set(run, 84, 135, 88, 36.8);
        run.Clock.Advance(TimeSpan.FromHours(25));

        var result = run.Reading(VitalKind.Spo2, 97, "oxi-1");

        Assert.Equal(("news2_stale", AlertSeverity.Critical), (result.Finding!.Code, result.Finding.Severity));
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public void H16_a_complete_fresh_set_below_the_bands_clears_it()
    {
        var run = Run();
        Set(run, 84, 135, 88, 36.8);
        run.Clock.Advance(TimeSpan.FromHours(25));

        var result = Set(run, 97, 72, 125, 36.8);

        Assert.Equal(RuleVerdict.False, result.Verdict);
    }

    [Fact]
    public void A_fresh_set_that_is_better_but_still_in_a_band_lowers_the_severity()
    {
        var run = Run();
        Set(run, 84, 135, 88, 36.8);
        run.Clock.Advance(TimeSpan.FromHours(1));

        var result = Set(run, 97, 72, 88, 36.8);

        Assert.Equal((AlertSeverity.Medium, "news2_single_parameter_3"), (result.Finding!.Severity, result.Finding.Code));
    }

    [Fact]
    public void Worse_fresh_data_while_stale_raises_the_severity()
    {
        var run = Run();
        Set(run, 91, 72, 125, 36.8);
        run.Clock.Advance(TimeSpan.FromHours(25));

        run.Reading(VitalKind.HeartRate, 135);
        var result = run.Reading(VitalKind.SystolicBp, 88);

        Assert.Equal((AlertSeverity.High, "news2_medium"), (result.Finding!.Severity, result.Finding.Code));
    }

    [Fact]
    [Trait("Hazard", "H6")]
    public void Data_too_old_with_nothing_active_gives_no_score_never_a_low_one()
    {
        var run = Run();
        var first = Set(run, 97, 72, 125, 36.8);
        Assert.Equal(RuleVerdict.False, first.Verdict);

        var woken = run.WakeAt(first.WakeAt!.Value);

        Assert.Equal(RuleVerdict.Unknown, woken.Verdict);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public void Scale_2_with_oxygen_unknown_scores_high_spo2_as_missing_not_as_air()
    {
        var run = Run(new News2CareSettings(News2Scale.Scale2, OnSupplementalOxygen: null, Consciousness: null));
        run.Reading(VitalKind.Spo2, 95);

        var result = run.Reading(VitalKind.HeartRate, 135);

        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): pulse 3; partial: missing respiration rate, SpO2, air or oxygen, systolic BP, consciousness, temperature",
            result.Finding!.Reason);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public void Consciousness_recorded_by_staff_is_scored_and_ages_like_a_reading()
    {
        var run = Run();
        Set(run, 97, 72, 125, 36.8);
        run.Clock.Advance(TimeSpan.FromHours(1));

        var confused = run.Feed(new ConsciousnessObserved(RuleRun.Patient, ConsciousnessLevel.NewConfusion, run.Clock.GetUtcNow(), RecordedBy: "staff-7"));

        Assert.Equal((RuleVerdict.True, AlertSeverity.Medium), (confused.Verdict, confused.Finding!.Severity));
        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): consciousness 3; partial: missing respiration rate", confused.Finding.Reason);

        run.Clock.Advance(TimeSpan.FromMinutes(30));
        var alert = run.Feed(new ConsciousnessObserved(RuleRun.Patient, ConsciousnessLevel.Alert, run.Clock.GetUtcNow(), RecordedBy: "staff-7"));
        Assert.Equal(RuleVerdict.False, alert.Verdict);
    }

    [Fact]
    [Trait("Hazard", "H10")]
    public void H10_a_fast_device_clock_does_not_keep_its_abnormal_spo2_as_the_latest()
    {
        var run = Run();
        run.Reading(VitalKind.Spo2, 85, "oxi-fast", clockAhead: TimeSpan.FromMinutes(4));
        run.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = run.Reading(VitalKind.Spo2, 97, "oxi-right");

        Assert.Equal(RuleVerdict.False, result.Verdict);
    }

    [Fact]
    public void The_rule_decides_the_news2_condition_and_ignores_other_input()
    {
        var run = Run();
        Assert.Equal(ConditionKeys.News2, new News2AlertRule(OnAir, Window).Key);

        Assert.Equal(RuleVerdict.Unknown, run.Reading(VitalKind.BodyWeight, 80).Verdict);
    }
}
