using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Tests.Alerts;

public sealed class AlertLifecycleTests
{
    private const string Patient = "pat-abc";
    private const string Key = "threshold:spo2";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_first_finding_raises_an_open_active_alert()
    {
        var now = _clock.GetUtcNow();

        var decision = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium, "SpO2 92 %"), now);

        Assert.Equal(AlertDecisionKind.Raised, decision.Kind);
        var alert = decision.Alert;
        Assert.NotEqual(Guid.Empty, alert.Id);
        Assert.Equal((Patient, Key, AlertSeverity.Medium, "SpO2 92 %"), (alert.PatientId, alert.ConditionKey, alert.Severity, alert.Reason));
        Assert.Equal((AlertStatus.Open, true, 1), (alert.Status, alert.ConditionActive, alert.Occurrences));
        Assert.Equal((now, now), (alert.RaisedAt, alert.UpdatedAt));
        Assert.Null(alert.AcknowledgedAt);
        Assert.Null(alert.ClearedAt);
        Assert.False(alert.IsClosed);
    }

    [Fact]
    public void A_repeat_updates_the_same_alert_with_the_latest_severity_and_reason()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.High, "SpO2 89 %"), _clock.GetUtcNow()).Alert;
        _clock.Advance(TimeSpan.FromMinutes(10));

        var decision = AlertLifecycle.OnFinding(raised, Patient, Finding(AlertSeverity.Medium, "SpO2 92 %"), _clock.GetUtcNow());

        Assert.Equal(AlertDecisionKind.Updated, decision.Kind);
        Assert.Equal(raised.Id, decision.Alert.Id);
        Assert.Equal((AlertSeverity.Medium, "SpO2 92 %", 2), (decision.Alert.Severity, decision.Alert.Reason, decision.Alert.Occurrences));
        Assert.Equal(raised.RaisedAt, decision.Alert.RaisedAt);
        Assert.Equal(_clock.GetUtcNow(), decision.Alert.UpdatedAt);
        Assert.Equal(AlertStatus.Open, decision.Alert.Status);
    }

    [Fact]
    public void Clearing_keeps_an_unacknowledged_alert_visible_until_acknowledged()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;
        _clock.Advance(TimeSpan.FromMinutes(5));

        var cleared = AlertLifecycle.OnCleared(raised, _clock.GetUtcNow())!.Alert;

        Assert.Equal((AlertStatus.Open, false, false), (cleared.Status, cleared.ConditionActive, cleared.IsClosed));
        Assert.Equal(_clock.GetUtcNow(), cleared.ClearedAt);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var acknowledged = AlertLifecycle.OnAcknowledged(cleared, "nurse.jones", _clock.GetUtcNow())!.Alert;

        Assert.True(acknowledged.IsClosed);
        Assert.Equal(("nurse.jones", _clock.GetUtcNow(), AlertSeverity.Medium), (acknowledged.AcknowledgedBy, acknowledged.AcknowledgedAt!.Value, acknowledged.AcknowledgedSeverity!.Value));
    }

    [Fact]
    public void Acknowledged_while_still_active_stays_open_to_findings_and_closes_when_cleared()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;
        var acknowledged = AlertLifecycle.OnAcknowledged(raised, "nurse.jones", _clock.GetUtcNow())!.Alert;
        Assert.False(acknowledged.IsClosed);

        var closed = AlertLifecycle.OnCleared(acknowledged, _clock.GetUtcNow())!.Alert;

        Assert.True(closed.IsClosed);
    }

    [Fact]
    public void A_finding_after_clearing_but_before_acknowledgement_reactivates_the_same_alert()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;
        var cleared = AlertLifecycle.OnCleared(raised, _clock.GetUtcNow())!.Alert;

        var again = AlertLifecycle.OnFinding(cleared, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow());

        Assert.Equal(AlertDecisionKind.Updated, again.Kind);
        Assert.Equal((raised.Id, true, 2), (again.Alert.Id, again.Alert.ConditionActive, again.Alert.Occurrences));
        Assert.Null(again.Alert.ClearedAt);
    }

    [Theory]
    [InlineData(AlertSeverity.Medium, AlertSeverity.Low, AlertStatus.Acknowledged)]
    [InlineData(AlertSeverity.Medium, AlertSeverity.Medium, AlertStatus.Acknowledged)]
    [InlineData(AlertSeverity.Medium, AlertSeverity.High, AlertStatus.Open)]
    [InlineData(AlertSeverity.High, AlertSeverity.Critical, AlertStatus.Open)]
    [InlineData(AlertSeverity.Critical, AlertSeverity.Critical, AlertStatus.Acknowledged)]
    public void Getting_worse_than_what_was_acknowledged_reopens(AlertSeverity acknowledged, AlertSeverity next, AlertStatus expected)
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(acknowledged), _clock.GetUtcNow()).Alert;
        var ack = AlertLifecycle.OnAcknowledged(raised, "nurse.jones", _clock.GetUtcNow())!.Alert;

        var updated = AlertLifecycle.OnFinding(ack, Patient, Finding(next), _clock.GetUtcNow()).Alert;

        Assert.Equal(expected, updated.Status);
        Assert.Equal(next, updated.Severity);
        Assert.Equal(expected == AlertStatus.Open, updated.AcknowledgedBy is null);
    }

    [Fact]
    public void Dropping_then_rising_back_to_the_acknowledged_severity_does_not_reopen()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.High), _clock.GetUtcNow()).Alert;
        var ack = AlertLifecycle.OnAcknowledged(raised, "nurse.jones", _clock.GetUtcNow())!.Alert;
        var lower = AlertLifecycle.OnFinding(ack, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;

        var back = AlertLifecycle.OnFinding(lower, Patient, Finding(AlertSeverity.High), _clock.GetUtcNow()).Alert;

        Assert.Equal((AlertStatus.Acknowledged, 3), (back.Status, back.Occurrences));
    }

    [Fact]
    public void An_instantaneous_event_is_never_active_repeats_count_and_acknowledgement_closes_it()
    {
        var press = new AlertFinding("event:pendant_press", AlertSeverity.Critical, "Pendant alarm pressed", Instantaneous: true, _clock.GetUtcNow());
        var raised = AlertLifecycle.OnFinding(null, Patient, press, _clock.GetUtcNow()).Alert;
        Assert.Equal((AlertStatus.Open, false, false), (raised.Status, raised.ConditionActive, raised.IsClosed));

        var repeat = AlertLifecycle.OnFinding(raised, Patient, press, _clock.GetUtcNow()).Alert;
        Assert.Equal((raised.Id, 2, false), (repeat.Id, repeat.Occurrences, repeat.ConditionActive));

        Assert.Null(AlertLifecycle.OnCleared(repeat, _clock.GetUtcNow()));
        Assert.True(AlertLifecycle.OnAcknowledged(repeat, "operator.1", _clock.GetUtcNow())!.Alert.IsClosed);
    }

    [Fact]
    public void Nothing_changes_when_there_is_nothing_to_clear_or_acknowledge()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;
        var ack = AlertLifecycle.OnAcknowledged(raised, "nurse.jones", _clock.GetUtcNow())!.Alert;

        Assert.Null(AlertLifecycle.OnCleared(null, _clock.GetUtcNow()));
        Assert.Null(AlertLifecycle.OnAcknowledged(ack, "someone.else", _clock.GetUtcNow()));
    }

    [Fact]
    public void A_closed_alert_or_another_condition_cannot_be_updated()
    {
        var raised = AlertLifecycle.OnFinding(null, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()).Alert;
        var closed = AlertLifecycle.OnAcknowledged(AlertLifecycle.OnCleared(raised, _clock.GetUtcNow())!.Alert, "nurse.jones", _clock.GetUtcNow())!.Alert;

        Assert.Throws<ArgumentException>(() => AlertLifecycle.OnFinding(closed, Patient, Finding(AlertSeverity.Medium), _clock.GetUtcNow()));
        Assert.Throws<ArgumentException>(() => AlertLifecycle.OnFinding(raised, "pat-other", Finding(AlertSeverity.Medium), _clock.GetUtcNow()));
    }

    private AlertFinding Finding(AlertSeverity severity, string reason = "reason") =>
        new(Key, severity, reason, Instantaneous: false, _clock.GetUtcNow());
}
