using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

public sealed class AlertCaseLifecycleTests
{
    private const string Patient = RuleRun.Patient;
    private static readonly ResponsePolicy Policy = ResponsePolicy.Default;
    private static readonly RuleState NoState = new("{}");
    private readonly FakeTimeProvider _clock = RuleRun.ClockAt(2026, 1, 10, 9);

    private static RuleEvaluation True(string key, AlertSeverity severity, string code = "c", double? measure = null, double? step = null,
        bool instantaneous = false, bool selfClearing = false, DeviceRef? device = null) =>
        RuleEvaluation.True(new RuleFinding(key, severity, code, $"{key} {severity}", instantaneous, DateTimeOffset.UnixEpoch, device, measure, step, selfClearing), NoState);

    private AlertChange Raise(string key = "threshold:spo2", AlertSeverity severity = AlertSeverity.Medium, bool selfClearing = false, bool instantaneous = false) =>
        AlertCaseLifecycle.OnEvaluation([], Patient, key, True(key, severity, selfClearing: selfClearing, instantaneous: instantaneous), Policy, Now)!;

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Theory]
    [Trait("Hazard", "H19")]
    [InlineData("news2", AlertSeverity.Critical, 30 * 60)]
    [InlineData("news2", AlertSeverity.High, 60 * 60)]
    [InlineData("news2", AlertSeverity.Medium, 60 * 60)]
    [InlineData("battery:pend-1", AlertSeverity.Low, 24 * 3600)]
    [InlineData("event:pendant_press", AlertSeverity.Critical, 60)]
    [InlineData("event:door_exit", AlertSeverity.Medium, 60 * 60)]
    public void A_first_finding_raises_an_open_alert_with_its_response_deadline(string key, AlertSeverity severity, int seconds)
    {
        var change = Raise(key, severity);

        var alert = change.Alert;
        Assert.Equal((AlertCaseStatus.Open, 1, Now, Now + TimeSpan.FromSeconds(seconds)), (alert.Status, alert.Occurrences, alert.OpenedAt, alert.RespondBy));
        Assert.Equal(alert.Id, alert.IncidentId);
        var raised = Assert.Single(change.Events);
        Assert.Equal((AlertEventType.Raised, AlertEvent.System, alert.Id, Patient, (long?)null), (raised.Type, raised.Actor, raised.AlertId, raised.PatientId, raised.Sequence));
    }

    [Fact]
    [Trait("Hazard", "H4")]
    public void One_open_alert_per_patient_and_condition_a_repeat_is_counted_and_a_change_is_logged()
    {
        var alert = Raise().Alert;
        _clock.Advance(TimeSpan.FromMinutes(5));

        var repeat = AlertCaseLifecycle.OnEvaluation([alert], Patient, alert.ConditionKey, True(alert.ConditionKey, AlertSeverity.Medium), Policy, Now)!;
        Assert.Equal((alert.Id, 2, 0), (repeat.Alert.Id, repeat.Alert.Occurrences, repeat.Events.Count));

        var worse = AlertCaseLifecycle.OnEvaluation([repeat.Alert], Patient, alert.ConditionKey, True(alert.ConditionKey, AlertSeverity.Critical), Policy, Now)!;
        Assert.Equal((alert.Id, 3, AlertSeverity.Critical), (worse.Alert.Id, worse.Alert.Occurrences, worse.Alert.Severity));
        Assert.Equal(AlertEventType.Updated, Assert.Single(worse.Events).Type);
        // More urgent while nobody has it: the deadline comes sooner (opened 09:00, Critical 30 min).
        Assert.Equal(alert.OpenedAt.AddMinutes(30), worse.Alert.RespondBy);
    }

    [Theory]
    [InlineData(RuleVerdict.NotYet)]
    [InlineData(RuleVerdict.Unknown)]
    public void Not_yet_and_unknown_change_nothing(RuleVerdict verdict)
    {
        var alert = Raise().Alert;

        Assert.Null(AlertCaseLifecycle.OnEvaluation([alert], Patient, alert.ConditionKey, new RuleEvaluation(verdict, null, NoState, null), Policy, Now));
    }

    [Fact]
    [Trait("Hazard", "H3")]
    public void Acknowledge_then_follow_up_then_resolve_with_an_outcome_records_who_and_when()
    {
        var alert = Raise().Alert;
        _clock.Advance(TimeSpan.FromMinutes(3));
        var ack = AlertCaseLifecycle.Acknowledge(alert, "nurse-1", Now);
        Assert.Equal((AlertCaseStatus.Acknowledged, "nurse-1", Now), (ack.Alert.Status, ack.Alert.AcknowledgedBy, ack.Alert.AcknowledgedAt));
        Assert.Equal((AlertEventType.Acknowledged, "nurse-1"), (Assert.Single(ack.Events).Type, ack.Events[0].Actor));
        Assert.False(AlertCaseLifecycle.Acknowledge(ack.Alert, "nurse-2", Now).Changed);

        _clock.Advance(TimeSpan.FromMinutes(2));
        var follow = AlertCaseLifecycle.StartFollowUp(ack.Alert, "nurse-1", Now);
        Assert.Equal((AlertCaseStatus.InFollowUp, "nurse-1"), (follow.Alert.Status, follow.Alert.FollowUpBy));
        Assert.Equal(AlertEventType.FollowUpStarted, Assert.Single(follow.Events).Type);

        var resolved = AlertCaseLifecycle.Resolve(follow.Alert, "nurse-1", AlertOutcome.ReferredToPartner, "GP visit booked", Now);
        Assert.Equal((AlertCaseStatus.Resolved, AlertOutcome.ReferredToPartner, "nurse-1"), (resolved.Alert.Status, resolved.Alert.Outcome, resolved.Alert.ResolvedBy));
        var resolvedEvent = Assert.Single(resolved.Events);
        Assert.Equal((AlertEventType.Resolved, "referred_to_partner: GP visit booked"), (resolvedEvent.Type, resolvedEvent.Reason));
    }

    [Fact]
    [Trait("Hazard", "H3")]
    public void Follow_up_or_resolve_straight_from_open_records_the_acknowledgement_too()
    {
        var alert = Raise().Alert;

        var follow = AlertCaseLifecycle.StartFollowUp(alert, "nurse-1", Now);
        var resolved = AlertCaseLifecycle.Resolve(alert, "nurse-2", AlertOutcome.FalseAlarm, null, Now);

        Assert.Equal([AlertEventType.Acknowledged, AlertEventType.FollowUpStarted], follow.Events.Select(e => e.Type));
        Assert.Equal([AlertEventType.Acknowledged, AlertEventType.Resolved], resolved.Events.Select(e => e.Type));
        Assert.Equal("nurse-2", resolved.Alert.AcknowledgedBy);
    }

    [Fact]
    public void Operations_not_allowed_in_the_state_are_refused_with_a_reason_code()
    {
        var resolved = AlertCaseLifecycle.Resolve(Raise().Alert, "nurse-1", AlertOutcome.ActionTaken, null, Now).Alert;
        var open = Raise().Alert;

        Assert.Equal(AlertRefusals.AlertResolved, AlertCaseLifecycle.Acknowledge(resolved, "n", Now).Refused);
        Assert.Equal(AlertRefusals.AlertResolved, AlertCaseLifecycle.StartFollowUp(resolved, "n", Now).Refused);
        Assert.Equal(AlertRefusals.AlertResolved, AlertCaseLifecycle.Resolve(resolved, "n", AlertOutcome.ActionTaken, null, Now).Refused);
        Assert.Equal(AlertRefusals.AlertResolved, AlertCaseLifecycle.Assign(resolved, "n", "m", Now).Refused);
        Assert.Equal(AlertRefusals.OutcomeReserved, AlertCaseLifecycle.Resolve(open, "n", AlertOutcome.AutoCleared, null, Now).Refused);
        Assert.Equal(AlertRefusals.SnoozeNotInFuture, AlertCaseLifecycle.Snooze(open, "n", Now, Policy, Now).Refused);
        Assert.Equal(AlertRefusals.SnoozeTooLong, AlertCaseLifecycle.Snooze(open, "n", Now.AddHours(3), Policy, Now).Refused);
        Assert.Equal(AlertRefusals.NotSnoozed, AlertCaseLifecycle.Unsnooze(open, [], "n", "n", Now).Refused);
    }

    [Fact]
    public void Assigning_names_the_assignee_in_the_log()
    {
        var assigned = AlertCaseLifecycle.Assign(Raise().Alert, "lead-1", "nurse-3", Now);

        Assert.Equal("nurse-3", assigned.Alert.AssignedTo);
        var e = Assert.Single(assigned.Events);
        Assert.Equal((AlertEventType.Assigned, "lead-1", "nurse-3"), (e.Type, e.Actor, e.Subject));
    }

    /// <summary>What a cleared condition does, by status: an unseen clinical red flag never disappears.</summary>
    [Theory]
    [Trait("Hazard", "H3")]
    [InlineData("open", false, AlertCaseStatus.Open, AlertEventType.Updated)]
    [InlineData("acknowledged", false, AlertCaseStatus.Resolved, AlertEventType.AutoCleared)]
    [InlineData("follow_up", false, AlertCaseStatus.InFollowUp, AlertEventType.Updated)]
    [InlineData("open", true, AlertCaseStatus.Resolved, AlertEventType.AutoCleared)]
    public void A_cleared_condition(string status, bool selfClearing, AlertCaseStatus expected, AlertEventType eventType)
    {
        var alert = Raise(selfClearing: selfClearing).Alert;
        alert = status switch
        {
            "acknowledged" => AlertCaseLifecycle.Acknowledge(alert, "nurse-1", Now).Alert,
            "follow_up" => AlertCaseLifecycle.StartFollowUp(alert, "nurse-1", Now).Alert,
            _ => alert,
        };

        var cleared = AlertCaseLifecycle.OnEvaluation([alert], Patient, alert.ConditionKey, RuleEvaluation.False(NoState), Policy, Now)!;

        Assert.Equal((expected, false), (cleared.Alert.Status, cleared.Alert.ConditionActive));
        Assert.Equal(eventType, Assert.Single(cleared.Events).Type);
        Assert.Equal(expected == AlertCaseStatus.Resolved ? AlertOutcome.AutoCleared : null, cleared.Alert.Outcome);
        Assert.Null(AlertCaseLifecycle.OnEvaluation([cleared.Alert], Patient, alert.ConditionKey, RuleEvaluation.False(NoState), Policy, Now));
    }

    [Theory]
    [Trait("Hazard", "H3")]
    [InlineData(false, AlertCaseStatus.Resolved)]
    [InlineData(true, AlertCaseStatus.Acknowledged)]
    public void Acknowledging_after_the_condition_cleared_resolves_a_state_but_not_an_event(bool instantaneous, AlertCaseStatus expected)
    {
        var alert = Raise(instantaneous: instantaneous).Alert;
        if (!instantaneous)
        {
            alert = AlertCaseLifecycle.OnEvaluation([alert], Patient, alert.ConditionKey, RuleEvaluation.False(NoState), Policy, Now)!.Alert;
        }

        var ack = AlertCaseLifecycle.Acknowledge(alert, "nurse-1", Now.AddMinutes(5));

        Assert.Equal((expected, "nurse-1"), (ack.Alert.Status, ack.Alert.AcknowledgedBy));
        Assert.Equal(
            instantaneous ? [AlertEventType.Acknowledged] : [AlertEventType.Acknowledged, AlertEventType.AutoCleared],
            ack.Events.Select(e => e.Type));
        Assert.Equal(instantaneous ? null : AlertOutcome.AutoCleared, ack.Alert.Outcome);
    }

    [Fact]
    public void After_resolution_a_new_finding_raises_a_new_alert()
    {
        var resolved = AlertCaseLifecycle.Resolve(Raise().Alert, "nurse-1", AlertOutcome.ActionTaken, null, Now).Alert;

        var again = AlertCaseLifecycle.OnEvaluation([resolved], Patient, resolved.ConditionKey, True(resolved.ConditionKey, AlertSeverity.Medium), Policy, Now)!;

        Assert.NotEqual(resolved.Id, again.Alert.Id);
        Assert.Equal(AlertEventType.Raised, Assert.Single(again.Events).Type);
    }

    [Theory]
    [Trait("Hazard", "H18")]
    // acknowledged at severity/measure, then a finding: re-opened?
    [InlineData(AlertSeverity.Medium, 2.0, AlertSeverity.Critical, 2.0, true)]
    [InlineData(AlertSeverity.Critical, 10.0, AlertSeverity.Critical, 12.9, false)]
    [InlineData(AlertSeverity.Critical, 10.0, AlertSeverity.Critical, 13.0, true)]
    [InlineData(AlertSeverity.Critical, 10.0, AlertSeverity.Medium, 1.0, false)]
    public void H18_worse_after_acknowledgement_reopens_by_severity_or_by_measure(
        AlertSeverity acknowledgedSeverity, double acknowledgedMeasure, AlertSeverity severity, double measure, bool reopened)
    {
        var raised = AlertCaseLifecycle.OnEvaluation([], Patient, "threshold:spo2",
            True("threshold:spo2", acknowledgedSeverity, measure: acknowledgedMeasure, step: 3), Policy, Now)!.Alert;
        var ack = AlertCaseLifecycle.Acknowledge(raised, "nurse-1", Now).Alert;
        _clock.Advance(TimeSpan.FromMinutes(20));

        var change = AlertCaseLifecycle.OnEvaluation([ack], Patient, "threshold:spo2", True("threshold:spo2", severity, measure: measure, step: 3), Policy, Now)!;

        Assert.Equal(reopened ? AlertCaseStatus.Open : AlertCaseStatus.Acknowledged, change.Alert.Status);
        if (reopened)
        {
            Assert.Equal(AlertEventType.Reopened, Assert.Single(change.Events).Type);
            Assert.Equal((Now, Now + Policy.DeadlineFor(severity, "threshold:spo2")), (change.Alert.OpenedAt, change.Alert.RespondBy));
            Assert.Null(change.Alert.AcknowledgedBy);
        }
    }

    [Fact]
    [Trait("Hazard", "H18")]
    public void H18_after_threshold_and_news2_alerts_for_a_falling_spo2_are_acknowledged_84_70_60_leaves_an_open_alert()
    {
        var rules = new IAlertRule[]
        {
            new ThresholdAlertRule(ThresholdSet.Defaults.For(VitalKind.Spo2)!, VitalAlertTuning.Defaults[VitalKind.Spo2]),
            new News2AlertRule(new News2CareSettings(News2Scale.Scale1, false, null), TimeSpan.FromHours(24)),
        };
        var states = new Dictionary<string, RuleState?>();
        var alerts = new Dictionary<string, AlertCase>();
        var log = new List<AlertEvent>();

        void Spo2(double value)
        {
            var reading = new Reading("oxi-1", Patient, VitalKind.Spo2, value, Now, Now);
            foreach (var rule in rules)
            {
                var evaluation = rule.Evaluate(new RuleInput(Patient, Now, new ReadingObserved(reading)), states.GetValueOrDefault(rule.Key));
                states[rule.Key] = evaluation.State;
                if (AlertCaseLifecycle.OnEvaluation([.. alerts.Values], Patient, rule.Key, evaluation, Policy, Now) is { } change)
                {
                    alerts[rule.Key] = change.Alert;
                    log.AddRange(change.Events);
                }
            }
        }

        void AcknowledgeAll()
        {
            foreach (var key in alerts.Keys.ToArray())
            {
                var change = AlertCaseLifecycle.Acknowledge(alerts[key], "nurse-1", Now);
                alerts[key] = change.Alert;
                log.AddRange(change.Events);
            }
        }

        Spo2(84);
        Assert.Equal(2, alerts.Count);
        Assert.Equal(alerts["threshold:spo2"].IncidentId, alerts["news2"].IncidentId);
        AcknowledgeAll();

        _clock.Advance(TimeSpan.FromMinutes(10));
        Spo2(70);
        Assert.Equal(AlertCaseStatus.Open, alerts["threshold:spo2"].Status);
        AcknowledgeAll();

        _clock.Advance(TimeSpan.FromMinutes(10));
        Spo2(60);
        Assert.Equal(AlertCaseStatus.Open, alerts["threshold:spo2"].Status);
        Assert.Equal(AlertSeverity.Critical, alerts["threshold:spo2"].Severity);
        Assert.Equal(2, log.Count(e => e.Type == AlertEventType.Reopened));
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    [Trait("Hazard", "H17")]
    public void H17_a_value_hovering_at_the_edge_after_acknowledgement_neither_closes_nor_re_raises_the_alert()
    {
        var rule = new ThresholdAlertRule(ThresholdSet.Defaults.For(VitalKind.Spo2)!, VitalAlertTuning.Defaults[VitalKind.Spo2]);
        RuleState? state = null;
        AlertCase? alert = null;
        var log = new List<AlertEvent>();
        foreach (var value in new double[] { 93, 94, 93, 94, 93, 94 })
        {
            var evaluation = rule.Evaluate(new RuleInput(Patient, Now, new ReadingObserved(new Reading("oxi-1", Patient, VitalKind.Spo2, value, Now, Now))), state);
            state = evaluation.State;
            var change = AlertCaseLifecycle.OnEvaluation(alert is null ? [] : [alert], Patient, rule.Key, evaluation, Policy, Now);
            if (change is not null)
            {
                alert = change.Alert;
                log.AddRange(change.Events);
            }
            if (alert!.Status == AlertCaseStatus.Open)
            {
                var ack = AlertCaseLifecycle.Acknowledge(alert, "nurse-1", Now);
                alert = ack.Alert;
                log.AddRange(ack.Events);
            }
            _clock.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal([AlertEventType.Raised, AlertEventType.Acknowledged], log.Select(e => e.Type));
        Assert.Equal((AlertCaseStatus.Acknowledged, 6), (alert!.Status, alert.Occurrences));
    }

    [Fact]
    [Trait("Hazard", "H11")]
    public void A_new_pendant_press_after_acknowledgement_is_a_new_call_for_help()
    {
        var ack = AlertCaseLifecycle.Acknowledge(Raise("event:pendant_press", AlertSeverity.Critical, instantaneous: true).Alert, "nurse-1", Now).Alert;
        _clock.Advance(TimeSpan.FromMinutes(30));

        var change = AlertCaseLifecycle.OnEvaluation([ack], Patient, ack.ConditionKey,
            True(ack.ConditionKey, AlertSeverity.Critical, instantaneous: true), Policy, Now)!;

        Assert.Equal((AlertCaseStatus.Open, Now.AddSeconds(60)), (change.Alert.Status, change.Alert.RespondBy));
    }

    [Fact]
    public void Related_alerts_of_a_person_form_one_incident_and_unrelated_ones_their_own()
    {
        var pendant = new DeviceRef("pend-1", "pendant_alarm");
        var spo2 = Raise("threshold:spo2", AlertSeverity.Medium).Alert;
        var alerts = new List<AlertCase> { spo2 };
        AlertCase Next(string key, DeviceRef? device = null)
        {
            var alert = AlertCaseLifecycle.OnEvaluation(alerts, Patient, key, True(key, AlertSeverity.High, device: device), Policy, Now)!.Alert;
            alerts.Add(alert);
            return alert;
        }

        var news2 = Next("news2");
        var duration = Next("duration:spo2:below:92:10m");
        var fall = Next("event:fall_detected");
        var inactivity = Next("inactivity:0700-1000");
        var silence = Next("silence:pend-1", pendant);
        var battery = Next("battery:pend-1", pendant);

        Assert.Equal([spo2.Id, spo2.Id], new[] { news2.IncidentId, duration.IncidentId });
        Assert.Equal((fall.Id, fall.Id), (fall.IncidentId, inactivity.IncidentId));
        Assert.Equal((silence.Id, silence.Id), (silence.IncidentId, battery.IncidentId));
    }

    [Fact]
    [Trait("Hazard", "H20")]
    public void H20_a_snooze_is_visible_timed_and_undoable()
    {
        var alert = Raise().Alert;
        var snooze = AlertCaseLifecycle.Snooze(alert, "nurse-1", Now.AddMinutes(30), Policy, Now);
        var e = Assert.Single(snooze.Events);
        Assert.Equal((AlertEventType.Snoozed, "nurse-1", "nurse-1", Now.AddMinutes(30)), (e.Type, e.Actor, e.Subject, e.Until));
        Assert.Equal(AlertCaseStatus.Open, snooze.Alert.Status);
        var log = snooze.Events.ToList();

        Assert.Equal(Now.AddMinutes(30), AlertSnoozes.Active(alert, log, Now.AddMinutes(10))["nurse-1"]);
        Assert.Empty(AlertSnoozes.Active(alert, log, Now.AddMinutes(30)));

        _clock.Advance(TimeSpan.FromMinutes(5));
        var undone = AlertCaseLifecycle.Unsnooze(alert, log, "nurse-2", "nurse-1", Now);
        Assert.Equal((AlertEventType.Unsnoozed, "nurse-2", "nurse-1"), (undone.Events[0].Type, undone.Events[0].Actor, undone.Events[0].Subject));
        log.AddRange(undone.Events);
        Assert.Empty(AlertSnoozes.Active(alert, log, Now));
    }

    [Fact]
    public void Two_open_alerts_for_one_condition_are_a_broken_record_and_refused_while_a_resolved_one_beside_an_open_one_is_history()
    {
        var first = Raise().Alert;
        var second = Raise().Alert;
        var resolved = AlertCaseLifecycle.Resolve(first, "nurse", AlertOutcome.NoActionNeeded, null, Now).Alert;

        var broken = Assert.Throws<InvalidOperationException>(() =>
            AlertCaseLifecycle.OnEvaluation([first, second], Patient, "threshold:spo2", True("threshold:spo2", AlertSeverity.High), Policy, Now));
        var escalated = AlertCaseLifecycle.OnEvaluation([resolved, second], Patient, "threshold:spo2", True("threshold:spo2", AlertSeverity.High), Policy, Now);

        Assert.Equal("More than one open alert for condition threshold:spo2.", broken.Message);
        Assert.NotNull(escalated);
        Assert.Equal(second.Id, escalated.Alert.Id);
        Assert.Equal(AlertSeverity.High, escalated.Alert.Severity);
    }
}
