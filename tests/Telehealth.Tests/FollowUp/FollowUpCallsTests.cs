using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.FollowUp;
using Telehealth.Contracts;

namespace Telehealth.Tests.FollowUp;

/// <summary>Calls about an alert on a fake timeline (times passed in): retries, escalation after unreached attempts, what is due.</summary>
public sealed class FollowUpCallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static readonly CallPolicy Policy = CallPolicy.Default with { RetryAfter = TimeSpan.FromMinutes(15), MaxUnreachedAttempts = 3 };

    private static AlertCase Alert(AlertSeverity severity = AlertSeverity.High, string key = "threshold:spo2") =>
        new(Guid.NewGuid(), "pat-1", key, Guid.NewGuid(), severity, "code", "reason", null, AlertCaseStatus.Open, true, false, false, 1,
            T0, T0, T0, T0, T0 + ResponsePolicy.Default.DeadlineFor(severity, key));

    /// <summary>Runs calls at T0 + 10 min, +30, +50, ... (one every 20 minutes), returning each change.</summary>
    private static List<AlertChange> Run(AlertCase alert, params CallOutcome[] outcomes)
    {
        var changes = new List<AlertChange>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            var change = FollowUpCalls.Record(alert, "phone.1", outcomes[i], [], null, Policy, ResponsePolicy.Default, T0.AddMinutes(10 + 20 * i));
            changes.Add(change);
            alert = change.Alert;
        }
        return changes;
    }

    [Theory]
    // outcomes; expected status after the last; minutes after T0 of the next call due (null: none); last call escalated
    [InlineData("no_answer", "in_follow_up", 25, false)]
    [InlineData("busy", "in_follow_up", 25, false)]
    [InlineData("wrong_number", "in_follow_up", 25, false)]
    [InlineData("reached", "in_follow_up", null, false)]
    [InlineData("no_answer,busy", "in_follow_up", 45, false)]
    [InlineData("no_answer,busy,no_answer", "open", 50, true)]
    [InlineData("no_answer,reached,no_answer,no_answer", "in_follow_up", 85, false)]
    [InlineData("no_answer,reached,no_answer,no_answer,busy", "open", 90, true)]
    [InlineData("no_answer,no_answer,no_answer,reached", "in_follow_up", null, false)]
    public void A_sequence_of_calls_gives_its_status_next_call_and_escalation(string outcomes, string status, int? nextDueMinutes, bool escalated)
    {
        var parsed = outcomes.Split(',').Select(o => WireNames.TryParse<CallOutcome>(o, out var p) ? p : throw new ArgumentException(o)).ToArray();

        var last = Run(Alert(), parsed)[^1].Alert;

        Assert.Equal(status, WireNames.Of(last.Status));
        Assert.Equal(nextDueMinutes is { } m ? T0.AddMinutes(m) : null, FollowUpCalls.NextCallDue(last, Policy));
        Assert.Equal(escalated, last.Calls![^1].Escalated);
        Assert.Equal(Enumerable.Range(1, parsed.Length), last.Calls.Select(c => c.Number));
    }

    [Fact]
    public void The_first_call_from_open_acknowledges_and_starts_the_follow_up_then_records_the_call()
    {
        var change = Run(Alert(), CallOutcome.NoAnswer)[0];

        Assert.Equal([AlertEventType.Acknowledged, AlertEventType.FollowUpStarted, AlertEventType.CallAttempted], change.Events.Select(e => e.Type));
        var call = change.Events[^1];
        Assert.Equal(("phone.1", "no_answer", T0.AddMinutes(25), "Call 1: no_answer"), (call.Actor, call.Subject, call.Until, call.Reason));
        Assert.Equal(("phone.1", "phone.1"), (change.Alert.AcknowledgedBy, change.Alert.FollowUpBy));
    }

    [Fact]
    public void The_unreached_call_at_the_limit_reopens_with_a_new_deadline_and_clears_who_had_it()
    {
        var changes = Run(Alert(AlertSeverity.Critical, "event:fall"), CallOutcome.NoAnswer, CallOutcome.NoAnswer, CallOutcome.NoAnswer);
        var third = changes[^1];
        var at = T0.AddMinutes(50);

        Assert.Equal([AlertEventType.CallAttempted, AlertEventType.Reopened], third.Events.Select(e => e.Type));
        Assert.Equal("Not reached after 3 call attempts", third.Events[^1].Reason);
        Assert.Null(third.Events[0].Until);
        Assert.Equal((AlertCaseStatus.Open, at, at + ResponsePolicy.Default.DeadlineFor(AlertSeverity.Critical, "event:fall")),
            (third.Alert.Status, third.Alert.OpenedAt, third.Alert.RespondBy));
        Assert.Equal((null, null, null), (third.Alert.AcknowledgedBy, third.Alert.FollowUpBy, third.Alert.AssignedTo));
    }

    [Fact]
    public void Actions_are_kept_once_each_and_in_the_events_reason_but_notes_are_not()
    {
        var change = FollowUpCalls.Record(Alert(), "nurse.2", CallOutcome.Reached,
            [CallAction.AdviceGiven, CallAction.Advised111, CallAction.AdviceGiven], "  said SpO2 was 88  ", Policy, ResponsePolicy.Default, T0);

        var call = change.Alert.Calls!.Single();
        Assert.Equal([CallAction.AdviceGiven, CallAction.Advised111], call.Actions);
        Assert.Equal("said SpO2 was 88", call.Notes);
        Assert.Equal("Call 1: reached: advice_given, advised_111", change.Events[^1].Reason);
    }

    [Fact]
    public void A_resolved_alert_takes_no_call()
    {
        var resolved = Alert() with { Status = AlertCaseStatus.Resolved };

        var change = FollowUpCalls.Record(resolved, "phone.1", CallOutcome.Reached, [], null, Policy, ResponsePolicy.Default, T0);

        Assert.Equal(AlertRefusals.AlertResolved, change.Refused);
        Assert.Empty(change.Events);
    }

    [Theory]
    [InlineData(AlertSeverity.Critical, 15)]
    [InlineData(AlertSeverity.High, 30)]
    [InlineData(AlertSeverity.Medium, 120)]
    [InlineData(AlertSeverity.Low, 1440)]
    public void Before_any_call_the_first_call_is_due_by_the_target_for_its_severity(AlertSeverity severity, int minutes)
    {
        var alert = Alert(severity);

        Assert.Equal(T0.AddMinutes(minutes), FollowUpCalls.FirstCallDue(alert, CallPolicy.Default));
        Assert.Equal(T0.AddMinutes(minutes), FollowUpCalls.NextCallDue(alert, CallPolicy.Default));
    }

    [Theory]
    [InlineData("threshold:spo2", AlertSeverity.High, true)]
    [InlineData("threshold:spo2", AlertSeverity.Medium, false)]
    [InlineData("news2", AlertSeverity.Medium, true)]
    [InlineData("event:low_battery", AlertSeverity.Low, true)]
    [InlineData("silence:dev-1", AlertSeverity.Medium, true)]
    [InlineData("battery:dev-1", AlertSeverity.Low, true)]
    [InlineData("schedule:systolic_bp:1100", AlertSeverity.Medium, true)]
    [InlineData("inactivity:0700-1000", AlertSeverity.High, true)]
    [InlineData("duration:spo2-below-92", AlertSeverity.Medium, false)]
    public void Which_alerts_need_a_call(string key, AlertSeverity severity, bool needed) =>
        Assert.Equal(needed, FollowUpCalls.NeedsCall(Alert(severity, key)));

    [Theory]
    [InlineData("event:fall", "Ask whether they have fallen")]
    [InlineData("event:pendant_press", "Ask why they pressed")]
    [InlineData("event:tamper", "Ask what happened")]
    [InlineData("news2", "Ask how they feel compared with usual")]
    [InlineData("threshold:spo2", "Ask them to rest and repeat the oxygen reading")]
    [InlineData("threshold:systolic_bp", "Ask them to sit for 5 minutes")]
    [InlineData("threshold:weight", "Ask how they feel and to repeat the reading")]
    [InlineData("silence:dev-9", "The device has gone quiet")]
    [InlineData("battery:dev-9", "Ask them (or their carer) to charge")]
    [InlineData("something:else", "Ask how they are")]
    public void Each_alert_kind_has_its_call_guide(string key, string startsWith) =>
        Assert.StartsWith(startsWith, CallGuides.For(key), StringComparison.Ordinal);

    [Fact]
    public void Call_actions_have_their_fixed_wire_names() =>
        Assert.Equal(["advice_given", "repeat_reading_requested", "gp_informed", "visit_arranged", "advised_111", "advised_999", "ambulance_called"], CallActions.All);
}
