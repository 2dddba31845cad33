using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Engine;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// The running engine on the core's rule contract, with a fake clock and the durable path (queue, persisted rule
/// state, wake-ups fired into the queue): missing data raised by time alone, state that survives a restart, and the
/// lifecycle defects found from outside.
/// </summary>
public abstract class RuleWiringConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    private EngineHarness Harness(AlertOptions? options = null, InMemoryReadingStore? readings = null) => new(Engine.OpenAnotherAsync(_clock).GetAwaiter().GetResult(), _clock, options, readings);

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData(30, "pendant_alarm", AlertSeverity.High, "status")]
    [InlineData(60, "pulse_oximeter", AlertSeverity.Medium, "reading")]
    [InlineData(300, "telecare_hub", AlertSeverity.High, "status")]
    public async Task Silence_is_raised_by_the_timer_at_exactly_three_missed_intervals_and_clears_when_the_device_is_heard(
        int intervalSeconds, string deviceType, AlertSeverity severity, string heardAgainBy)
    {
        var engine = Harness();
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        Assert.Empty(await engine.StatusAsync("dev-1", deviceType, intervalSeconds));

        Assert.Empty(await engine.AdvanceAsync(interval * 3 - TimeSpan.FromMilliseconds(1)));
        Assert.Null(await engine.ActiveAsync("silence:dev-1"));

        var raised = Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMilliseconds(1)));
        Assert.Equal((AlertEventType.Raised, "silence:dev-1", severity, MissingDataCodes.DeviceSilent),
            (raised.Type, raised.Alert.ConditionKey, raised.Alert.Severity, raised.Alert.Code));
        Assert.Equal(("dev-1", deviceType), (raised.Alert.Device!.DeviceId, raised.Alert.Device.DeviceType));
        Assert.Equal(Start + interval * 3, raised.Alert.ObservedAt);
        Assert.Empty(await engine.AdvanceAsync(interval * 10));   // still silent: one alert, no repeats

        _clock.Advance(TimeSpan.FromSeconds(1));
        var heard = heardAgainBy == "status"
            ? await engine.StatusAsync("dev-1", deviceType, intervalSeconds)
            : await engine.ReadingAsync(VitalKind.HeartRate, 70, "dev-1");

        var cleared = Assert.Single(heard, e => e.Alert.ConditionKey == "silence:dev-1");
        Assert.Equal((AlertEventType.AutoCleared, AlertCaseStatus.Resolved, AlertOutcome.AutoCleared),
            (cleared.Type, cleared.Alert.Status, cleared.Alert.Outcome));
        // Heard again, it is watched again: silence is raised anew three intervals later.
        Assert.Equal("silence:dev-1", Assert.Single(await engine.AdvanceAsync(interval * 3)).Alert.ConditionKey);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task A_device_that_declares_no_interval_is_not_expected_and_never_silent()
    {
        var engine = Harness();
        await engine.StatusAsync("dev-1", "pulse_oximeter", intervalSeconds: null, battery: 80);

        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromDays(3)));
        Assert.Null(await engine.RuleStates.NextWakeAsync());
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task Silence_raised_across_a_restart_with_no_data_at_all()
    {
        await Harness().StatusAsync("dev-1", "pendant_alarm", intervalSeconds: 60);

        // Stopped for ten minutes: the stored wake-up fires when the engine starts again, no data needed.
        _clock.Advance(TimeSpan.FromMinutes(10));
        var restarted = Harness();
        var raised = Assert.Single(await restarted.RunAsync());

        Assert.Equal(("silence:dev-1", Start + TimeSpan.FromMinutes(3)), (raised.Alert.ConditionKey, raised.Alert.ObservedAt));
    }

    [Theory]
    [Trait("Hazard", "H15")]
    [InlineData(15, AlertSeverity.Low)]
    [InlineData(4, AlertSeverity.Medium)]
    public async Task A_low_battery_is_flagged_for_the_device_and_clears_once_charged(int percent, AlertSeverity severity)
    {
        var engine = Harness();
        Assert.Empty(await engine.StatusAsync("dev-1", "pendant_alarm", battery: 60));

        var raised = Assert.Single(await engine.AdvanceThenStatusAsync(percent));
        Assert.Equal(("battery:dev-1", severity, "dev-1"), (raised.Alert.ConditionKey, raised.Alert.Severity, raised.Alert.Device!.DeviceId));
        // Back above the low level but not yet by the margin (low + 10 %): still flagged, so it does not flap.
        Assert.DoesNotContain(await engine.AdvanceThenStatusAsync(25), e => e.Type == AlertEventType.AutoCleared);
        Assert.NotNull(await engine.ActiveAsync("battery:dev-1"));

        var cleared = Assert.Single(await engine.AdvanceThenStatusAsync(100));
        Assert.Equal(AlertEventType.AutoCleared, cleared.Type);
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public async Task A_half_met_duration_survives_a_restart_and_completes_on_its_timer()
    {
        var options = new AlertOptions
        {
            Durations = [new DurationRuleOptions { Vital = "spo2", Direction = "below", Limit = 95, Duration = TimeSpan.FromMinutes(10), MaxGap = TimeSpan.FromMinutes(15) }],
        };
        const string key = "duration:spo2:below:95:10m";
        var readings = new InMemoryReadingStore();
        Assert.Empty(await Harness(options, readings).ReadingAsync(VitalKind.Spo2, 94.5));   // normal band: only the duration rule cares
        Assert.Equal(Start.AddMinutes(10), await Harness(options, readings).RuleStates.NextWakeAsync());

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Harness(options, readings).RunAsync());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var raised = Assert.Single(await Harness(options, readings).RunAsync());
        Assert.Equal((AlertEventType.Raised, key, AlertSeverity.High, "below_for_duration"),
            (raised.Type, raised.Alert.ConditionKey, raised.Alert.Severity, raised.Alert.Code));
        Assert.Equal(Start.AddMinutes(10), raised.Alert.ObservedAt);
    }

    [Theory]
    [Trait("Hazard", "H18")]
    [InlineData(VitalKind.Spo2, 93, AlertSeverity.Medium, "below_low")]
    [InlineData(VitalKind.Spo2, 90, AlertSeverity.Critical, "below_critical_low")]
    [InlineData(VitalKind.HeartRate, 105, AlertSeverity.Medium, "above_high")]
    [InlineData(VitalKind.HeartRate, 135, AlertSeverity.Critical, "above_critical_high")]
    [InlineData(VitalKind.SystolicBp, 85, AlertSeverity.Critical, "below_critical_low")]
    public async Task Threshold_severity_reaches_critical_outside_the_critical_bounds(VitalKind kind, double value, AlertSeverity severity, string code)
    {
        var engine = Harness();

        await engine.ReadingAsync(kind, value);

        var alert = await engine.ActiveAsync("threshold:" + kind.WireName());
        Assert.Equal((severity, code), (alert!.Severity, alert.Code));
    }

    [Fact]
    [Trait("Hazard", "H17")]
    public async Task A_value_hovering_at_the_edge_does_not_flap_and_clears_past_the_margin()
    {
        var engine = Harness();
        await engine.ReadingAsync(VitalKind.Spo2, 93);
        var alert = (await engine.ActiveAsync("threshold:spo2"))!;
        await engine.Engine.AcknowledgeAsync(alert.Id, "nurse.jones");

        foreach (var value in new[] { 94.0, 93, 94, 93 })
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            await engine.ReadingAsync(VitalKind.Spo2, value);
        }
        Assert.Equal((AlertCaseStatus.Acknowledged, true), ((await engine.ActiveAsync("threshold:spo2"))!.Status, (await engine.ActiveAsync("threshold:spo2"))!.ConditionActive));

        _clock.Advance(TimeSpan.FromMinutes(1));
        var cleared = await engine.ReadingAsync(VitalKind.Spo2, 95);
        Assert.Equal(AlertEventType.AutoCleared, Assert.Single(cleared, e => e.Alert.ConditionKey == "threshold:spo2").Type);
        Assert.Single(await engine.AllAsync("threshold:spo2"));
    }

    [Fact]
    [Trait("Hazard", "H18")]
    public async Task Worsening_after_acknowledgement_reopens_the_alert_with_a_new_deadline()
    {
        var engine = Harness();
        await engine.ReadingAsync(VitalKind.Spo2, 84);
        foreach (var alert in await engine.AllAsync())
        {
            await engine.Engine.AcknowledgeAsync(alert.Id, "nurse.jones");
        }

        _clock.Advance(TimeSpan.FromMinutes(5));
        var worse = await engine.ReadingAsync(VitalKind.Spo2, 70);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await engine.ReadingAsync(VitalKind.Spo2, 60);

        var reopened = Assert.Single(worse, e => e.Type == AlertEventType.Reopened);
        Assert.Equal("threshold:spo2", reopened.Alert.ConditionKey);
        var open = (await engine.ActiveAsync("threshold:spo2"))!;
        Assert.Equal((AlertCaseStatus.Open, AlertSeverity.Critical, null), (open.Status, open.Severity, open.AcknowledgedBy));
        Assert.Equal(Start.AddMinutes(5) + TimeSpan.FromMinutes(30), open.RespondBy);
        Assert.Single(await engine.AllAsync("threshold:spo2"));
    }

    [Fact]
    [Trait("Hazard", "H16")]
    public async Task Ageing_readings_and_one_normal_reading_never_clear_a_critical_news2()
    {
        var engine = Harness();
        await engine.ReadingAsync(VitalKind.Spo2, 85);
        await engine.ReadingAsync(VitalKind.HeartRate, 135);
        await engine.ReadingAsync(VitalKind.RespiratoryRate, 26);
        var news2 = (await engine.ActiveAsync("news2"))!;
        Assert.Equal((AlertSeverity.Critical, "news2_high"), (news2.Severity, news2.Code));
        await engine.Engine.AcknowledgeAsync(news2.Id, "nurse.jones");

        // The readings leave the 24 h window by time alone (the NEWS2 rule's timer), then one normal SpO2 arrives.
        await engine.AdvanceAsync(TimeSpan.FromHours(25));
        await engine.ReadingAsync(VitalKind.Spo2, 97);

        var still = (await engine.ActiveAsync("news2"))!;
        Assert.Equal((news2.Id, AlertSeverity.Critical, "news2_stale", true), (still.Id, still.Severity, still.Code, still.ConditionActive));
        Assert.Contains("needs a new set of observations", still.Reason);
        Assert.Equal(AlertCaseStatus.Acknowledged, still.Status);
    }

    [Fact]
    [Trait("Hazard", "H10")]
    public async Task A_device_clock_running_fast_does_not_keep_an_abnormal_reading_latest()
    {
        var engine = Harness();
        await engine.ReadingAsync(VitalKind.Spo2, 85, "dev-fast", deviceTime: Start.AddMinutes(4));
        _clock.Advance(TimeSpan.FromMinutes(1));

        await engine.ReadingAsync(VitalKind.Spo2, 97, "dev-right");

        var alert = (await engine.ActiveAsync("threshold:spo2"))!;
        Assert.Equal((false, Start.AddMinutes(1)), (alert.ConditionActive, alert.ClearedAt));
    }

    [Fact]
    [Trait("Hazard", "H3")]
    public async Task A_pendant_press_is_critical_every_press_counts_and_rule_state_is_kept_only_for_rules_that_spoke()
    {
        var engine = Harness();

        var raised = Assert.Single(await engine.EventAsync(TelecareEventType.PendantPress));
        _clock.Advance(TimeSpan.FromSeconds(20));
        var again = Assert.Single(await engine.EventAsync(TelecareEventType.PendantPress));

        Assert.Equal((AlertEventType.Raised, AlertSeverity.Critical), (raised.Type, raised.Alert.Severity));
        Assert.Equal((AlertEventType.Updated, 2), (again.Type, again.Alert.Occurrences));
        Assert.Equal(Start + TimeSpan.FromSeconds(60), raised.Alert.RespondBy);
        Assert.Equal(["event:pendant_press"], (await engine.RuleStates.LoadAsync(EngineHarness.Patient)).Keys);
    }
}

/// <summary>On the embedded engine.</summary>
public sealed class RuleWiringTests() : RuleWiringConformance(new SqliteStoreEngine());
