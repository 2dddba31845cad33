using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;

namespace Telehealth.Tests.CareRecord;

public sealed class AlertEscalatorTests
{
    private static readonly ResponsePolicy Policy = ResponsePolicy.Default;
    private readonly FakeTimeProvider _clock = RuleRun.ClockAt(2026, 1, 10, 9);
    private readonly List<AlertEvent> _log = [];
    private long _sequence;

    /// <summary>Day shift: ann then bob on duty 08:00–20:00, cat off duty; lead lee; ambulance from step 2 for Critical only.</summary>
    private DutyRota Rota => new(
        [
            new RotaShift("ann", At(8), At(20)),
            new RotaShift("cat", At(20), At(32)),
            new RotaShift("bob", At(8), At(20)),
        ],
        TeamLead: "lee",
        Partners: [new PartnerTarget("ambulance-1", "ambulance", AlertSeverity.Critical, FromStep: 2)]);

    private static DateTimeOffset At(int hour) => new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private AlertCase Open(string key = "news2", AlertSeverity severity = AlertSeverity.Critical)
    {
        var finding = new RuleFinding(key, severity, "c", "reason", key.StartsWith("event:", StringComparison.Ordinal), Now);
        var change = AlertCaseLifecycle.OnEvaluation([], RuleRun.Patient, key, RuleEvaluation.True(finding, new RuleState("{}")), Policy, Now)!;
        Append(change);
        return change.Alert;
    }

    /// <summary>What a store does: append with a sequence number.</summary>
    private void Append(AlertChange change) => _log.AddRange(change.Events.Select(e => e with { Sequence = ++_sequence }));

    /// <summary>What the escalation worker does at <see cref="Now"/>: ask, record each due step, return the targets.</summary>
    private (string Targets, DateTimeOffset? NextAt) Tick(AlertCase alert, DutyRota? rota = null)
    {
        var decision = AlertEscalator.Decide(alert, _log, rota ?? Rota, Policy, Now);
        foreach (var step in decision.DueNow)
        {
            Append(AlertCaseLifecycle.RecordEscalation(alert, step, Now));
        }
        return (string.Join(",", decision.DueNow.Select(s => s.Target)), decision.NextAt);
    }

    [Fact]
    [Trait("Hazard", "H19")]
    public void H19_an_unacknowledged_critical_alert_climbs_the_rota_to_the_team_lead_and_round_again_with_partners()
    {
        var alert = Open();

        Assert.Equal(("ann", (DateTimeOffset?)Now.AddMinutes(30)), Tick(alert));
        _clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(("", (DateTimeOffset?)alert.RespondBy), Tick(alert));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(("bob", (DateTimeOffset?)Now.AddMinutes(10)), Tick(alert));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(("lee,ambulance-1", (DateTimeOffset?)Now.AddMinutes(10)), Tick(alert));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(("ann", (DateTimeOffset?)Now.AddMinutes(10)), Tick(alert));

        var escalated = _log.Where(e => e.Type == AlertEventType.Escalated).ToList();
        Assert.Equal(["ann", "bob", "lee", "ambulance-1", "ann"], escalated.Select(e => e.Subject));
        Assert.All(escalated, e => Assert.Equal(AlertEvent.System, e.Actor));
    }

    [Fact]
    [Trait("Hazard", "H19")]
    public void H19_acknowledgement_stops_escalation()
    {
        var alert = Open();
        Tick(alert);
        var ack = AlertCaseLifecycle.Acknowledge(alert, "ann", Now.AddMinutes(5));
        Append(ack);
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(("", (DateTimeOffset?)null), Tick(ack.Alert));
    }

    [Fact]
    [Trait("Hazard", "H19")]
    public void H19_a_critical_telecare_event_escalates_every_60_seconds_and_below_critical_partners_are_not_called()
    {
        var alert = Open("event:pendant_press");
        Tick(alert);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(("bob", (DateTimeOffset?)Now.AddSeconds(60)), Tick(alert));

        var medium = Open("threshold:spo2", AlertSeverity.Medium);
        Tick(medium);
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            Tick(medium);
        }
        Assert.DoesNotContain(_log, e => e.AlertId == medium.Id && e.Subject == "ambulance-1");
    }

    [Fact]
    [Trait("Hazard", "H19")]
    public void H19_with_nobody_on_duty_the_team_lead_is_told()
    {
        _clock.SetUtcNow(At(21));
        var alert = Open();

        Assert.Equal("cat", Tick(alert).Targets);
        _clock.SetUtcNow(At(33));
        Assert.Equal("lee", Tick(alert).Targets);
    }

    [Fact]
    [Trait("Hazard", "H20")]
    public void H20_a_snooze_passes_over_that_person_only_and_never_holds_the_escalation()
    {
        var alert = Open();
        Tick(alert);
        Append(AlertCaseLifecycle.Snooze(alert, "ann", Now.AddHours(2), Policy, Now.AddMinutes(1)));
        Append(AlertCaseLifecycle.Snooze(alert, "bob", Now.AddHours(2), Policy, Now.AddMinutes(1)));
        _clock.Advance(TimeSpan.FromMinutes(30));

        var decision = AlertEscalator.Decide(alert, _log, Rota, Policy, Now);

        Assert.Equal(["lee"], decision.DueNow.Select(s => s.Target));
        Assert.Equal(["ann", "bob"], decision.Snoozes.Keys.Order());
        Tick(alert);

        _clock.Advance(TimeSpan.FromMinutes(10));
        Append(AlertCaseLifecycle.Snooze(alert, "lee", Now.AddHours(1), Policy, Now));
        // Everyone has snoozed it: the team lead is told anyway.
        Assert.Equal(["lee", "ambulance-1"], AlertEscalator.Decide(alert, _log, Rota, Policy, Now).DueNow.Select(s => s.Target));
    }

    [Fact]
    [Trait("Hazard", "H19")]
    public void H19_escalation_is_rebuilt_from_the_event_log_after_a_restart_without_a_burst()
    {
        var alert = Open();
        Tick(alert);
        _clock.Advance(TimeSpan.FromMinutes(30));
        Tick(alert);
        var before = AlertEscalator.Decide(alert, _log, Rota, Policy, Now);

        // Restart: the log comes back from the store in another order; the platform was down for 2 hours.
        var reloaded = _log.OrderByDescending(e => e.Sequence).ToList();
        _log.Clear();
        _log.AddRange(reloaded);
        var after = AlertEscalator.Decide(alert, _log, Rota, Policy, Now);
        Assert.Equal((before.DueNow.Count, before.NextAt), (after.DueNow.Count, after.NextAt));
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(("lee,ambulance-1", (DateTimeOffset?)Now.AddMinutes(10)), Tick(alert));
        Assert.Equal(("", (DateTimeOffset?)Now.AddMinutes(10)), Tick(alert));
    }

    [Fact]
    [Trait("Hazard", "H18")]
    public void H18_a_reopened_alert_starts_escalation_again_from_the_first_on_duty()
    {
        var alert = Open(severity: AlertSeverity.High);
        Tick(alert);
        var ack = AlertCaseLifecycle.Acknowledge(alert, "ann", Now);
        Append(ack);
        _clock.Advance(TimeSpan.FromMinutes(40));
        var worse = new RuleFinding("news2", AlertSeverity.Critical, "news2_high", "NEWS2 8", false, Now);
        var reopened = AlertCaseLifecycle.OnEvaluation([ack.Alert], RuleRun.Patient, "news2", RuleEvaluation.True(worse, new RuleState("{}")), Policy, Now)!;
        Append(reopened);

        Assert.Equal(("ann", (DateTimeOffset?)Now.AddMinutes(30)), Tick(reopened.Alert));
    }
}
