using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Figures;
using Telehealth.CareRecord.FollowUp;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

/// <summary>Service figures from fixed facts: counts, nearest-rank response times against 60 s and 3 min, adherence per window, device uptime.</summary>
public sealed class ServiceFiguresCalculatorTests
{
    // Monday 2 March 2026 00:00 UTC (London is on GMT): a week's period.
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly FiguresPeriod Week = new(Monday, Monday.AddDays(7));
    private static readonly DateTimeOffset AfterWeek = Monday.AddDays(8);

    private static AlertCase Alert(string key, AlertSeverity severity, DateTimeOffset raisedAt, string patient = "pat-1",
        AlertOutcome? outcome = null, DateTimeOffset? clearedAt = null, bool active = true) =>
        new(Guid.NewGuid(), patient, key, Guid.NewGuid(), severity, "code", "reason", null,
            outcome is null ? AlertCaseStatus.Open : AlertCaseStatus.Resolved, active, false, true, 1,
            raisedAt, raisedAt, raisedAt, raisedAt, raisedAt.AddHours(1), ClearedAt: clearedAt, Outcome: outcome,
            ResolvedAt: outcome is null ? null : clearedAt ?? raisedAt.AddHours(1));

    private static AlertFact Fact(string key, AlertSeverity severity, double? ackSeconds, AlertOutcome? outcome = null)
    {
        var raised = Monday.AddHours(10);
        return new AlertFact(Alert(key, severity, raised, outcome: outcome), ackSeconds is { } s ? raised.AddSeconds(s) : null);
    }

    private static ServiceFigures Calculate(IReadOnlyList<AlertFact>? raised = null, IReadOnlyList<AlertCase>? silences = null,
        IReadOnlyList<(MonitoringPlan, IReadOnlyDictionary<VitalKind, IReadOnlyList<DateTimeOffset>>)>? plans = null,
        IReadOnlyList<WatchedDevice>? watched = null, DateTimeOffset? now = null) =>
        ServiceFiguresCalculator.Calculate("team-1", Week, now ?? AfterWeek, raised ?? [], silences ?? [], plans ?? [], watched ?? []);

    [Theory]
    [InlineData(new[] { 30.0 }, 30.0, 30.0)]
    [InlineData(new[] { 10.0, 20.0 }, 10.0, 20.0)]
    [InlineData(new[] { 50.0, 10.0, 40.0, 20.0, 30.0 }, 30.0, 50.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0 }, 5.0, 9.0)]
    public void Median_and_90th_percentile_are_nearest_rank_observed_times(double[] seconds, double median, double p90)
    {
        var times = ServiceFiguresCalculator.Times([.. seconds.Select(s => (TimeSpan?)TimeSpan.FromSeconds(s))]);

        Assert.Equal((TimeSpan.FromSeconds(median), TimeSpan.FromSeconds(p90)), (times.Median!.Value, times.Percentile90!.Value));
    }

    [Fact]
    public void Acknowledgement_times_count_the_responded_the_waiting_and_the_shares_within_60_seconds_and_3_minutes()
    {
        var figures = Calculate([
            Fact("telecare:pendant_press", AlertSeverity.Critical, 45),
            Fact("telecare:fall_detected", AlertSeverity.Critical, 60),
            Fact("threshold:spo2", AlertSeverity.High, 150, AlertOutcome.AutoCleared),
            Fact("threshold:spo2", AlertSeverity.High, 600),
            Fact("news2", AlertSeverity.Medium, null),
        ]);

        Assert.Equal(5, figures.AlertsRaised);
        Assert.Equal((4, 1), (figures.TimeToAcknowledge.Responded, figures.TimeToAcknowledge.Waiting));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(600)), (figures.TimeToAcknowledge.Median!.Value, figures.TimeToAcknowledge.Percentile90!.Value));
        Assert.Equal((0.5, 0.75), (figures.TimeToAcknowledge.ShareWithin60Seconds!.Value, figures.TimeToAcknowledge.ShareWithin3Minutes!.Value));
        Assert.Equal(new Dictionary<AlertSeverity, int> { [AlertSeverity.Low] = 0, [AlertSeverity.Medium] = 1, [AlertSeverity.High] = 2, [AlertSeverity.Critical] = 2 },
            figures.BySeverity);
        Assert.Equal(new Dictionary<string, int> { ["news2"] = 1, ["telecare"] = 2, ["threshold"] = 2 }, figures.ByKind);
        Assert.Equal(new Dictionary<AlertOutcome, int> { [AlertOutcome.AutoCleared] = 1 }, figures.Outcomes);
    }

    private static AlertFact Called(string key, AlertSeverity severity, double? firstCallSeconds, params (CallOutcome Outcome, CallAction[] Actions, bool Escalated)[] calls)
    {
        var raised = Monday.AddHours(10);
        var attempts = calls.Select((c, i) => new CallAttempt(i + 1, raised.AddSeconds((firstCallSeconds ?? 0) + (i * 600)), "nurse-a", c.Outcome, c.Actions, null, null, c.Escalated)).ToList();
        var alert = Alert(key, severity, raised) with { Calls = attempts.Count == 0 ? null : attempts };
        return new AlertFact(alert, null, firstCallSeconds is { } s ? raised.AddSeconds(s) : null);
    }

    [Fact]
    public void Time_to_first_call_covers_the_alerts_that_call_for_a_call_and_any_other_that_got_one()
    {
        var figures = Calculate([
            Called("event:pendant_press", AlertSeverity.Critical, 50, (CallOutcome.Reached, [CallAction.AdviceGiven], false)),
            Called("threshold:spo2", AlertSeverity.High, 170, (CallOutcome.NoAnswer, [], false), (CallOutcome.Reached, [CallAction.GpInformed, CallAction.VisitArranged], false)),
            Called("silence:hub-1", AlertSeverity.Medium, 900, (CallOutcome.Busy, [], false)),
            Called("news2", AlertSeverity.Medium, null),                              // needs a call, none yet: waiting
            Called("threshold:heart_rate", AlertSeverity.Low, 30, (CallOutcome.WrongNumber, [], false)), // not a call kind, but called
            Called("threshold:weight", AlertSeverity.Low, null),                     // neither: not counted
        ]);

        var call = figures.TimeToFirstCall;
        Assert.Equal((4, 1), (call.Responded, call.Waiting));
        // Sorted 30, 50, 170, 900: nearest-rank median is the 2nd, the 90th percentile the 4th.
        Assert.Equal((TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(900)), (call.Median!.Value, call.Percentile90!.Value));
        Assert.Equal((0.5, 0.75), (call.ShareWithin60Seconds!.Value, call.ShareWithin3Minutes!.Value));
    }

    [Fact]
    public void Follow_ups_count_the_alerts_called_the_calls_each_outcome_each_action_and_the_escalations()
    {
        var followUps = Calculate([
            Called("event:fall_detected", AlertSeverity.Critical, 40, (CallOutcome.Reached, [CallAction.Advised999, CallAction.AmbulanceCalled], false)),
            Called("threshold:spo2", AlertSeverity.High, 100,
                (CallOutcome.NoAnswer, [], false), (CallOutcome.Busy, [], false), (CallOutcome.NoAnswer, [], true)),
            Called("news2", AlertSeverity.Medium, null),
        ]).FollowUps;

        Assert.Equal((2, 4, 1), (followUps.AlertsCalled, followUps.Calls, followUps.Escalated));
        Assert.Equal(new Dictionary<CallOutcome, int> { [CallOutcome.Reached] = 1, [CallOutcome.NoAnswer] = 2, [CallOutcome.WrongNumber] = 0, [CallOutcome.Busy] = 1 },
            followUps.ByOutcome);
        Assert.Equal(new Dictionary<CallAction, int>
        {
            [CallAction.AdviceGiven] = 0, [CallAction.RepeatReadingRequested] = 0, [CallAction.GpInformed] = 0, [CallAction.VisitArranged] = 0,
            [CallAction.Advised111] = 0, [CallAction.Advised999] = 1, [CallAction.AmbulanceCalled] = 1,
        }, followUps.ByAction);
    }

    [Fact]
    public void No_alerts_give_zero_counts_and_no_times_rather_than_zero_times()
    {
        var figures = Calculate();

        Assert.Equal((0, 0, null, null), (figures.TimeToAcknowledge.Responded, figures.TimeToAcknowledge.Waiting, figures.TimeToAcknowledge.Median, figures.TimeToAcknowledge.ShareWithin60Seconds));
        Assert.Equal((0, 0, null), (figures.TimeToFirstCall.Responded, figures.TimeToFirstCall.Waiting, figures.TimeToFirstCall.Median));
        Assert.Equal((0, 0, 0), (figures.FollowUps.AlertsCalled, figures.FollowUps.Calls, figures.FollowUps.ByOutcome.Values.Sum()));
    }

    [Fact]
    public void Adherence_counts_each_closed_window_and_whether_a_reading_came_inside_it()
    {
        // Blood pressure 07:00–11:00 + 30 min, planned since the Sunday before: all seven windows of the week are judged.
        var plan = new MonitoringPlan("pat-1", MonitoringPlan.DefaultTimeZoneId,
            [new ScheduledReading(VitalKind.SystolicBp, "cuff-1", "blood_pressure_monitor", new TimeOnly(7, 0), new TimeOnly(11, 0), TimeSpan.FromMinutes(30), Monday.AddDays(-1))],
            [], []);
        IReadOnlyList<DateTimeOffset> times =
        [
            Monday.AddHours(8),                       // Monday in its window
            Monday.AddDays(1).AddHours(11.25),        // Tuesday within the grace
            Monday.AddDays(2).AddHours(12),           // Wednesday, too late for its window
            Monday.AddDays(3).AddHours(6.5),          // Thursday, before it opened
            Monday.AddDays(4).AddHours(9), Monday.AddDays(4).AddHours(10),   // Friday twice: one window
        ];

        var adherence = Assert.Single(Calculate(plans: [(plan, new Dictionary<VitalKind, IReadOnlyList<DateTimeOffset>> { [VitalKind.SystolicBp] = times })]).Adherence);

        Assert.Equal(("pat-1", "schedule:systolic_bp:1100", 7, 3), (adherence.PatientId, adherence.ConditionKey, adherence.WindowsClosed, adherence.WindowsWithReading));
        Assert.Equal(3.0 / 7, adherence.Share);
    }

    [Fact]
    public void Adherence_judges_only_whole_windows_after_the_plan_and_only_up_to_now()
    {
        // Planned Wednesday 09:00 (inside that day's window); now is Friday 12:00: Thursday and Friday are judged.
        var plan = new MonitoringPlan("pat-1", MonitoringPlan.DefaultTimeZoneId,
            [new ScheduledReading(VitalKind.BodyWeight, "scale-1", "weighing_scale", new TimeOnly(6, 0), new TimeOnly(11, 0), TimeSpan.Zero, Monday.AddDays(2).AddHours(9))],
            [], []);

        var adherence = Assert.Single(Calculate(plans: [(plan, new Dictionary<VitalKind, IReadOnlyList<DateTimeOffset>>())], now: Monday.AddDays(4).AddHours(12)).Adherence);

        Assert.Equal((2, 0, 0.0), (adherence.WindowsClosed, adherence.WindowsWithReading, adherence.Share!.Value));
    }

    [Fact]
    public void Uptime_is_the_watched_time_less_the_time_flagged_silent_clipped_to_the_period()
    {
        var watched = new[] { new WatchedDevice("hub-1", "telecare_hub", "pat-1"), new WatchedDevice("pendant-1", "pendant_alarm", "pat-1") };
        var silences = new[]
        {
            // From the Saturday before until Monday 06:00: six hours of it fall in the week.
            Alert("silence:hub-1", AlertSeverity.High, Monday.AddDays(-2), outcome: AlertOutcome.AutoCleared, clearedAt: Monday.AddHours(6), active: false),
            // Sunday 18:00, still silent after the week: the last six hours.
            Alert("silence:hub-1", AlertSeverity.High, Monday.AddDays(6).AddHours(18)),
        };

        var uptime = Calculate(silences: silences, watched: watched).Uptime;

        Assert.Equal(["hub-1", "pendant-1"], uptime.Select(u => u.DeviceId));
        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromHours(12)), (uptime[0].Watched, uptime[0].FlaggedSilent));
        Assert.Equal(1 - 12.0 / (7 * 24), uptime[0].Share!.Value, 10);
        Assert.Equal((TimeSpan.Zero, 1.0), (uptime[1].FlaggedSilent, uptime[1].Share!.Value));
    }
}
