using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Telecare;
using Telehealth.Contracts.Events;

namespace Telehealth.Tests.CareRecord;

public sealed class TelecareEventAlertRuleTests
{
    [Theory]
    [Trait("Hazard", "H11")]
    [InlineData(TelecareEventType.PendantPress, AlertSeverity.Critical, "event:pendant_press", "Pendant alarm pressed (device pend-1)")]
    [InlineData(TelecareEventType.FallDetected, AlertSeverity.Critical, "event:fall_detected", "Fall detected (device pend-1)")]
    [InlineData(TelecareEventType.Inactivity, AlertSeverity.High, "event:inactivity", "No expected activity (device pend-1)")]
    [InlineData(TelecareEventType.DoorExit, AlertSeverity.Medium, "event:door_exit", "Door exit (device pend-1)")]
    [InlineData(TelecareEventType.LowBattery, AlertSeverity.Low, "event:low_battery", "Device battery low (device pend-1)")]
    public void Every_event_of_its_type_is_an_instantaneous_finding(TelecareEventType type, AlertSeverity severity, string key, string reason)
    {
        var run = new RuleRun(new TelecareEventAlertRule(type, "pendant_alarm"), RuleRun.ClockAt(2026, 1, 10, 9));

        var first = run.Event(type, "pend-1");
        var second = run.Event(type, "pend-1");

        foreach (var result in new[] { first, second })
        {
            Assert.Equal(RuleVerdict.True, result.Verdict);
            Assert.Equal((key, severity, reason, true), (result.Finding!.ConditionKey, result.Finding.Severity, result.Finding.Reason, result.Finding.Instantaneous));
            Assert.Equal(("pend-1", "pendant_alarm"), (result.Finding.Device!.DeviceId, result.Finding.Device.DeviceType));
        }
    }

    [Fact]
    public void Other_events_and_the_clock_say_nothing()
    {
        var run = new RuleRun(new TelecareEventAlertRule(TelecareEventType.PendantPress), RuleRun.ClockAt(2026, 1, 10, 9));

        Assert.Equal(RuleVerdict.Unknown, run.Event(TelecareEventType.DoorExit).Verdict);
        Assert.Equal(RuleVerdict.Unknown, run.Wake().Verdict);
    }
}
