using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

public sealed class MissingDataRuleTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DeviceRef Pendant = new("pend-1", "pendant_alarm");
    private static readonly DeviceRef Oximeter = new("oxi-1", "pulse_oximeter");
    private static readonly DeviceRef Cuff = new("cuff-1", "blood_pressure_monitor");
    private static readonly DeviceRef Motion = new("pir-1", "inactivity_sensor");

    private static DeviceHeard Heard(DeviceRef device, DateTimeOffset at, int? intervalSeconds = null, int? battery = null) =>
        new(device, RuleRun.Patient, at, intervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null, battery);

    // ---- device silence ----

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_silence_is_raised_after_three_missed_declared_intervals_and_clears_when_heard_again()
    {
        var run = new RuleRun(new DeviceSilenceRule(Pendant, watchingSince: RuleRun.ClockAt(2026, 1, 10, 8).GetUtcNow()), RuleRun.ClockAt(2026, 1, 10, 9));
        var start = run.Clock.GetUtcNow();

        var heard = run.Feed(Heard(Pendant, start, intervalSeconds: 300));
        Assert.Equal((RuleVerdict.False, start.AddMinutes(15)), (heard.Verdict, heard.WakeAt));

        Assert.Equal(RuleVerdict.False, run.WakeAt(start.AddMinutes(14).AddSeconds(59)).Verdict);
        var silent = run.WakeAt(start.AddMinutes(15));
        Assert.Equal(RuleVerdict.True, silent.Verdict);
        var finding = silent.Finding!;
        Assert.Equal(("silence:pend-1", AlertSeverity.High, MissingDataCodes.DeviceSilent, true), (finding.ConditionKey, finding.Severity, finding.Code, finding.SelfClearing));
        Assert.Equal(Pendant, finding.Device);
        Assert.Equal("Nothing heard from pendant_alarm pend-1 since 2026-01-10 09:00 UTC (expected every 5 min)", finding.Reason);
        Assert.Null(silent.WakeAt);

        run.Clock.Advance(TimeSpan.FromMinutes(20));
        var back = run.Feed(Heard(Pendant, run.Clock.GetUtcNow()));
        Assert.Equal((RuleVerdict.False, run.Clock.GetUtcNow().AddMinutes(15)), (back.Verdict, back.WakeAt));
    }

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData(null, 300, 15)]
    [InlineData(600, 300, 30)]
    [InlineData(60, null, 3)]
    public void H15_the_interval_staff_set_wins_over_the_one_the_device_declares(int? staffSeconds, int? declaredSeconds, int deadlineMinutes)
    {
        var since = RuleRun.ClockAt(2026, 1, 10, 9).GetUtcNow();
        var rule = new DeviceSilenceRule(Oximeter, since, staffSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        var run = new RuleRun(rule, RuleRun.ClockAt(2026, 1, 10, 9));

        var result = run.Feed(Heard(Oximeter, since, declaredSeconds));

        Assert.Equal(since.AddMinutes(deadlineMinutes), result.WakeAt);
        Assert.Equal(AlertSeverity.Medium, run.WakeAt(result.WakeAt!.Value).Finding!.Severity);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_a_device_never_heard_is_silent_from_its_assignment_and_a_reading_counts_as_contact()
    {
        var assigned = RuleRun.ClockAt(2026, 1, 10, 9).GetUtcNow();
        var run = new RuleRun(new DeviceSilenceRule(Oximeter, assigned, TimeSpan.FromMinutes(10)), RuleRun.ClockAt(2026, 1, 10, 9, 29));

        Assert.Equal(RuleVerdict.False, run.Wake().Verdict);
        Assert.Equal(RuleVerdict.True, run.WakeAt(assigned.AddMinutes(30)).Verdict);
        Assert.Equal(RuleVerdict.False, run.Reading(VitalKind.Spo2, 97, "oxi-1").Verdict);
    }

    [Fact]
    public void Without_any_interval_nothing_is_expected_and_other_devices_say_nothing()
    {
        var since = RuleRun.ClockAt(2026, 1, 10, 9).GetUtcNow();
        var run = new RuleRun(new DeviceSilenceRule(Pendant, since), RuleRun.ClockAt(2026, 1, 10, 12));

        Assert.Equal(RuleVerdict.Unknown, run.Wake().Verdict);
        Assert.Equal(RuleVerdict.Unknown, run.Feed(Heard(Oximeter, since, 60)).Verdict);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_the_declared_interval_and_last_contact_survive_a_restart()
    {
        var since = RuleRun.ClockAt(2026, 1, 10, 9).GetUtcNow();
        var run = new RuleRun(new DeviceSilenceRule(Pendant, since), RuleRun.ClockAt(2026, 1, 10, 9));
        run.Feed(Heard(Pendant, since, 120));

        run.Restart(new DeviceSilenceRule(Pendant, since));

        Assert.Equal(RuleVerdict.True, run.WakeAt(since.AddMinutes(6)).Verdict);
    }

    // ---- scheduled reading ----

    private static ScheduledReadingRule BloodPressureBy11(DateTimeOffset watchingSince) =>
        new(VitalKind.SystolicBp, Cuff, opens: new TimeOnly(6, 0), dueBy: new TimeOnly(11, 0), grace: TimeSpan.FromMinutes(30), London, watchingSince);

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_no_blood_pressure_by_11_is_raised_at_the_deadline_plus_grace_and_a_late_reading_clears_it()
    {
        var clock = RuleRun.ClockAt(2026, 1, 10, 8);
        var run = new RuleRun(BloodPressureBy11(clock.GetUtcNow()), clock);

        var first = run.Wake();
        Assert.Equal((RuleVerdict.NotYet, new DateTimeOffset(2026, 1, 10, 11, 30, 0, TimeSpan.Zero)), (first.Verdict, first.WakeAt));

        var missing = run.WakeAt(first.WakeAt!.Value);
        Assert.Equal(RuleVerdict.True, missing.Verdict);
        Assert.Equal(("schedule:systolic_bp:1100", AlertSeverity.Medium, MissingDataCodes.ReadingNotReceived), (missing.Finding!.ConditionKey, missing.Finding.Severity, missing.Finding.Code));
        Assert.Equal("No Systolic BP reading by 11:00 (Europe/London) from blood_pressure_monitor cuff-1", missing.Finding.Reason);
        Assert.Equal((Cuff, true), (missing.Finding.Device, missing.Finding.SelfClearing));
        Assert.Equal(new DateTimeOffset(2026, 1, 11, 11, 30, 0, TimeSpan.Zero), missing.WakeAt);

        run.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(RuleVerdict.False, run.Reading(VitalKind.SystolicBp, 128, "cuff-1").Verdict);
        Assert.Equal(RuleVerdict.Unknown, run.Reading(VitalKind.HeartRate, 70, "cuff-1").Verdict);
    }

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData("2026-01-10T10:00:00Z", "2026-01-10T11:30:00Z", false)]
    [InlineData("2026-01-10T05:59:00Z", "2026-01-10T11:30:00Z", true)]
    [InlineData("2026-01-10T10:00:00Z", "2026-01-11T11:30:00Z", true)]
    public void H15_only_a_reading_since_the_window_opened_that_day_counts(string readingAt, string checkAt, bool missing)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse(readingAt, System.Globalization.CultureInfo.InvariantCulture));
        var run = new RuleRun(BloodPressureBy11(DateTimeOffset.Parse("2026-01-09T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), clock);
        run.Reading(VitalKind.SystolicBp, 130, "cuff-1");

        var result = run.WakeAt(DateTimeOffset.Parse(checkAt, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(missing ? RuleVerdict.True : RuleVerdict.False, result.Verdict);
    }

    /// <summary>11:00 + 30 min in Europe/London across both 2026 clock changes (29 March, 25 October).</summary>
    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData("2026-01-10T12:00:00Z", "2026-01-11T11:30:00Z")]
    [InlineData("2026-07-01T12:00:00Z", "2026-07-02T10:30:00Z")]
    [InlineData("2026-03-28T12:00:00Z", "2026-03-29T10:30:00Z")]
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29T10:30:00Z")]
    [InlineData("2026-10-24T12:00:00Z", "2026-10-25T11:30:00Z")]
    [InlineData("2026-10-24T09:00:00Z", "2026-10-24T10:30:00Z")]
    public void H15_the_daily_deadline_follows_local_time_through_daylight_saving(string now, string nextDeadline)
    {
        var window = new DailyWindow(new TimeOnly(6, 0), new TimeOnly(11, 30), London);

        Assert.Equal(DateTimeOffset.Parse(nextDeadline, System.Globalization.CultureInfo.InvariantCulture),
            window.NextClose(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-03-29", "2026-03-29T01:30:00Z")]
    [InlineData("2026-10-25", "2026-10-25T00:30:00Z")]
    public void A_local_time_skipped_or_repeated_by_a_clock_change_is_taken_as_soon_as_the_clocks_pass_it(string day, string expected)
    {
        var window = new DailyWindow(new TimeOnly(0, 0), new TimeOnly(1, 30), London);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            window.On(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).Closes);
    }

    // ---- inactivity ----

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_no_movement_in_the_morning_window_is_raised_at_its_close_and_movement_clears_it()
    {
        var clock = RuleRun.ClockAt(2026, 1, 10, 6);
        var run = new RuleRun(new InactivityRule(Motion, new TimeOnly(7, 0), new TimeOnly(10, 0), London, clock.GetUtcNow()), clock);

        var first = run.Wake();
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero), first.WakeAt);
        Assert.Equal(RuleVerdict.Unknown, run.Feed(Heard(Motion, clock.GetUtcNow(), 60)).Verdict);

        var still = run.WakeAt(first.WakeAt!.Value);
        Assert.Equal(RuleVerdict.True, still.Verdict);
        Assert.Equal(("inactivity:0700-1000", AlertSeverity.High, MissingDataCodes.NoActivity, Motion), (still.Finding!.ConditionKey, still.Finding.Severity, still.Finding.Code, still.Finding.Device));
        Assert.Equal("No movement seen between 07:00 and 10:00 (Europe/London); activity sensor inactivity_sensor pir-1", still.Finding.Reason);

        run.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(RuleVerdict.False, run.Feed(new ActivityObserved(Motion, RuleRun.Patient, run.Clock.GetUtcNow())).Verdict);
    }

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData(TelecareEventType.DoorExit, false)]
    [InlineData(TelecareEventType.PendantPress, false)]
    [InlineData(TelecareEventType.LowBattery, true)]
    [InlineData(TelecareEventType.Tamper, true)]
    [InlineData(TelecareEventType.Inactivity, true)]
    public void H15_an_event_a_person_causes_is_activity_one_a_device_raises_by_itself_is_not(TelecareEventType type, bool inactive)
    {
        var clock = RuleRun.ClockAt(2026, 1, 10, 8);
        var run = new RuleRun(new InactivityRule(Motion, new TimeOnly(7, 0), new TimeOnly(10, 0), London, clock.GetUtcNow().AddHours(-2)), clock);
        run.Event(type, "pir-1");

        Assert.Equal(inactive ? RuleVerdict.True : RuleVerdict.False, run.WakeAt(new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero)).Verdict);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_movement_inside_the_window_means_no_inactivity_and_a_reading_counts_as_activity()
    {
        var clock = RuleRun.ClockAt(2026, 1, 10, 8);
        var run = new RuleRun(new InactivityRule(Motion, new TimeOnly(7, 0), new TimeOnly(10, 0), London, clock.GetUtcNow().AddHours(-2)), clock);
        run.Reading(VitalKind.Spo2, 97, "oxi-1");

        Assert.Equal(RuleVerdict.False, run.WakeAt(new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero)).Verdict);
        Assert.Equal(RuleVerdict.True, run.WakeAt(new DateTimeOffset(2026, 1, 11, 10, 0, 0, TimeSpan.Zero)).Verdict);
    }

    // ---- battery ----

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData("60,19", "FT", "Low")]
    [InlineData("60,19,4", "FTT", "Medium")]
    [InlineData("19,25,29,30", "TTTF", null)]
    [InlineData("21,20", "FT", "Low")]
    [InlineData("50,50,50", "FFF", null)]
    // 10 % in 10 minutes: empty within the hour, long before 48 h.
    [InlineData("50,40", "FT", "Low")]
    public void H15_battery_low_is_raised_at_the_threshold_and_clears_only_when_charged_past_the_margin(string levels, string verdicts, string? lastSeverity)
    {
        var run = new RuleRun(new BatteryDepletionRule(Pendant, lowPercent: 20), RuleRun.ClockAt(2026, 1, 10, 9));
        var seen = "";
        foreach (var level in levels.Split(',').Select(int.Parse))
        {
            seen += run.Feed(Heard(Pendant, run.Clock.GetUtcNow(), battery: level)).Verdict == RuleVerdict.True ? "T" : "F";
            run.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(verdicts, seen);
        Assert.Equal(lastSeverity, run.Last!.Finding?.Severity.ToString());
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public void H15_a_steady_discharge_is_raised_when_the_battery_will_run_out_within_the_warning_time()
    {
        var run = new RuleRun(new BatteryDepletionRule(Pendant, lowPercent: 20, warnAhead: TimeSpan.FromHours(48)), RuleRun.ClockAt(2026, 1, 10, 9));
        var start = run.Clock.GetUtcNow();
        run.Feed(Heard(Pendant, start, battery: 80));
        run.Clock.Advance(TimeSpan.FromDays(1));

        // 10 % a day from 70 %: empty at start + 8 days, warned 48 h before.
        var draining = run.Feed(Heard(Pendant, run.Clock.GetUtcNow(), battery: 70));
        Assert.Equal((RuleVerdict.False, start.AddDays(6)), (draining.Verdict, draining.WakeAt));

        var warned = run.WakeAt(draining.WakeAt!.Value);
        Assert.Equal((RuleVerdict.True, AlertSeverity.Low, "battery:pend-1"), (warned.Verdict, warned.Finding!.Severity, warned.Finding.ConditionKey));
        Assert.Equal("Battery of pendant_alarm pend-1 at 70 %, expected to run out about 2026-01-18 09:00 UTC", warned.Finding.Reason);
    }
}
