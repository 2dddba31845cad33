using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// A person's monitoring plan on the running engine (real SQLite, fake clock, the durable queue and wake-ups):
/// a scheduled reading and a movement window raise by time alone and clear when the data comes, a staff-set
/// heartbeat overrides the device's own, a plan survives a restart, and a change to the care record (a plan, an
/// ACVPU assessment, the NEWS2 care settings) re-evaluates the person at once, without waiting for a reading.
/// </summary>
public abstract class MonitoringPlanWiringConformance(IStoreEngine engine) : StoreSuite(engine)
{
    // Monday 2 March 2026, 09:00 UTC = 09:00 in London (GMT until 29 March).
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    // Tests begin at 05:00 (a clock cannot go back) and move to the times they need.
    private readonly FakeTimeProvider _clock = new(Start.AddHours(-4));

    protected override TimeProvider Clock => _clock;

    private EngineHarness Harness() => new(Engine.OpenAnotherAsync(_clock).GetAwaiter().GetResult(), _clock);

    private static MonitoringPlan Plan(
        IReadOnlyList<ScheduledReading>? scheduled = null, IReadOnlyList<ActivityWindow>? activity = null, IReadOnlyList<HeartbeatExpectation>? heartbeats = null) =>
        new(EngineHarness.Patient, MonitoringPlan.DefaultTimeZoneId, scheduled ?? [], activity ?? [], heartbeats ?? []);

    private static ScheduledReading BloodPressureBy11(DateTimeOffset since) =>
        new(VitalKind.SystolicBp, "cuff-1", "blood_pressure_monitor", new TimeOnly(6, 0), new TimeOnly(11, 0), TimeSpan.FromMinutes(30), since);

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_a_planned_blood_pressure_missing_by_11_30_is_raised_by_the_clock_alone_and_the_late_reading_clears_it()
    {
        var engine = Harness();
        // Saved at 05:00, before the day's window opens: today's window is whole, so it is judged.
        Assert.Empty(await engine.PlanAsync(Plan([BloodPressureBy11(engine.Now)])));

        Assert.Empty(await engine.AdvanceAsync(Start.AddHours(2.5) - engine.Now - TimeSpan.FromMilliseconds(1)));
        var raised = Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMilliseconds(1)));
        Assert.Equal((AlertEventType.Raised, "schedule:systolic_bp:1100", AlertSeverity.Medium, MissingDataCodes.ReadingNotReceived),
            (raised.Type, raised.Alert.ConditionKey, raised.Alert.Severity, raised.Alert.Code));
        Assert.Equal(("cuff-1", "blood_pressure_monitor"), (raised.Alert.Device!.DeviceId, raised.Alert.Device.DeviceType));
        Assert.Equal("No Systolic BP reading by 11:00 (Europe/London) from blood_pressure_monitor cuff-1", raised.Alert.Reason);

        _clock.Advance(TimeSpan.FromMinutes(20));
        var cleared = Assert.Single(await engine.ReadingAsync(VitalKind.SystolicBp, 128, "cuff-1"), e => e.Alert.ConditionKey == "schedule:systolic_bp:1100");
        Assert.Equal((AlertEventType.AutoCleared, AlertOutcome.AutoCleared), (cleared.Type, cleared.Alert.Outcome));

        // Next day the reading comes at 08:00: nothing is missing at 11:30.
        Assert.Empty(await engine.AdvanceAsync(Start.AddDays(1).AddHours(-1) - engine.Now));
        Assert.DoesNotContain(await engine.ReadingAsync(VitalKind.SystolicBp, 131, "cuff-1"), e => e.Alert.ConditionKey.StartsWith("schedule:", StringComparison.Ordinal));
        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromHours(4)));
        Assert.Single(await engine.AllAsync("schedule:systolic_bp:1100"));
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_a_plan_saved_while_a_window_is_open_first_judges_the_next_whole_window()
    {
        var engine = Harness();
        // 09:00: today's 06:00–11:30 window is open and a reading may have come before the plan existed.
        _clock.SetUtcNow(Start);
        Assert.Empty(await engine.PlanAsync(Plan([BloodPressureBy11(engine.Now)])));

        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromHours(3)));   // 12:00 today: not judged
        Assert.Null(await engine.ActiveAsync("schedule:systolic_bp:1100"));
        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromHours(23.5) - TimeSpan.FromMilliseconds(1)));
        Assert.Equal("schedule:systolic_bp:1100", Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMilliseconds(1))).Alert.ConditionKey);
        Assert.Equal(Start.AddDays(1).AddHours(2.5), engine.Now);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_no_movement_in_the_planned_morning_window_is_raised_high_and_a_door_opening_clears_it()
    {
        var engine = Harness();
        _clock.SetUtcNow(Start.AddHours(-3));   // 06:00
        await engine.PlanAsync(Plan(activity: [new ActivityWindow("pir-1", "inactivity_sensor", new TimeOnly(7, 0), new TimeOnly(10, 0), engine.Now)]));

        // A low-battery event is the device speaking for itself, not the person moving.
        _clock.SetUtcNow(Start);
        Assert.DoesNotContain(await engine.EventAsync(TelecareEventType.LowBattery, "pir-1"), e => e.Alert.ConditionKey.StartsWith("inactivity", StringComparison.Ordinal));
        var raised = Assert.Single(await engine.AdvanceAsync(TimeSpan.FromHours(1)), e => e.Alert.ConditionKey == "inactivity:0700-1000");
        Assert.Equal((AlertEventType.Raised, AlertSeverity.High, MissingDataCodes.NoActivity, "pir-1"),
            (raised.Type, raised.Alert.Severity, raised.Alert.Code, raised.Alert.Device!.DeviceId));

        _clock.Advance(TimeSpan.FromMinutes(5));
        var cleared = Assert.Single(await engine.EventAsync(TelecareEventType.DoorExit, "door-1"), e => e.Alert.ConditionKey == "inactivity:0700-1000");
        Assert.Equal(AlertEventType.AutoCleared, cleared.Type);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_a_staff_set_heartbeat_watches_a_device_never_heard_and_overrides_the_interval_it_declares()
    {
        var engine = Harness();
        await engine.PlanAsync(Plan(heartbeats: [new HeartbeatExpectation("pendant-1", "pendant_alarm", TimeSpan.FromMinutes(15), engine.Now)]));

        // Never heard: silent three staff intervals after the plan started.
        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromMinutes(45) - TimeSpan.FromMilliseconds(1)));
        var silent = Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(("silence:pendant-1", AlertSeverity.High, MissingDataCodes.DeviceSilent), (silent.Alert.ConditionKey, silent.Alert.Severity, silent.Alert.Code));

        // Heard, declaring an hour: the staff's 15 minutes still rule.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AlertEventType.AutoCleared, Assert.Single(await engine.StatusAsync("pendant-1", "pendant_alarm", intervalSeconds: 3600)).Type);
        Assert.Empty(await engine.AdvanceAsync(TimeSpan.FromMinutes(45) - TimeSpan.FromMilliseconds(1)));
        Assert.Equal("silence:pendant-1", Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMilliseconds(1))).Alert.ConditionKey);
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_a_planned_deadline_fires_after_a_restart_with_no_data_at_all()
    {
        await Harness().PlanAsync(Plan([BloodPressureBy11(_clock.GetUtcNow())]));

        // Down from 05:00 to 13:00: the stored wake-up fires when it starts again.
        _clock.SetUtcNow(Start.AddHours(4));
        var raised = Assert.Single(await Harness().RunAsync());
        Assert.Equal(("schedule:systolic_bp:1100", AlertEventType.Raised), (raised.Alert.ConditionKey, raised.Type));
        Assert.Empty(await Harness().RunAsync());
    }

    [Fact]
    public async Task Saving_the_same_plan_again_keeps_each_expectation_s_start_and_records_each_change()
    {
        var engine = Harness();
        var firstAt = engine.Now;
        var first = await engine.Plans.SaveAsync(Plan([BloodPressureBy11(engine.Now)]), new MonitoringPlanChange("nurse-1", "agreed", engine.Now));
        _clock.Advance(TimeSpan.FromHours(1));
        var later = engine.Now;
        var second = await engine.Plans.SaveAsync(
            Plan([BloodPressureBy11(later)], heartbeats: [new HeartbeatExpectation("pendant-1", "pendant_alarm", TimeSpan.FromMinutes(30), later)]),
            new MonitoringPlanChange("nurse-2", "pendant added", later));

        Assert.Equal(firstAt, Assert.Single(second.ScheduledReadings).Since);
        Assert.Equal(later, Assert.Single(second.Heartbeats).Since);
        Assert.Equal(second, await engine.Plans.GetAsync(EngineHarness.Patient) is { } stored ? stored with { } : null, PlanComparer.Instance);
        var history = await engine.Plans.GetHistoryAsync(EngineHarness.Patient);
        Assert.Equal([(1, "nurse-1", "agreed"), (2, "nurse-2", "pendant added")], history.Select(r => (r.Sequence, r.Change.ChangedBy, r.Change.Reason)));
        Assert.Equal(first.ScheduledReadings, history[0].Plan.ScheduledReadings);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_an_ACVPU_assessment_re_scores_NEWS2_at_once_without_waiting_for_a_reading()
    {
        var engine = Harness();
        await engine.Patients.CreateAsync(new PatientRecord(EngineHarness.Patient, "Harness Person", null, null, News2Scale.Scale1, false, "team-1", Start));
        // RR 22 (2) + SpO2 95 (1) + HR 95 (1) + SBP 120 + 37.0 °C + air + alert = 4: no NEWS2 flag.
        foreach (var (kind, value) in new[] { (VitalKind.RespiratoryRate, 22.0), (VitalKind.Spo2, 95.0), (VitalKind.HeartRate, 95.0), (VitalKind.SystolicBp, 120.0), (VitalKind.BodyTemperature, 37.0) })
        {
            await engine.ReadingAsync(kind, value);
        }
        Assert.Null(await engine.ActiveAsync("news2"));

        _clock.Advance(TimeSpan.FromMinutes(10));
        var raised = Assert.Single(await engine.AcvpuAsync(AcvpuLevel.Voice), e => e.Alert.ConditionKey == "news2");
        Assert.Equal((AlertEventType.Raised, AlertSeverity.Critical, (double?)7.0), (raised.Type, raised.Alert.Severity, raised.Alert.LastMeasure));
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_an_ACVPU_assessment_re_scores_NEWS2_while_the_reading_store_is_down()
    {
        var engine = Harness();
        await engine.Patients.CreateAsync(new PatientRecord(EngineHarness.Patient, "Harness Person", null, null, News2Scale.Scale1, false, "team-1", Start));
        foreach (var (kind, value) in new[] { (VitalKind.RespiratoryRate, 22.0), (VitalKind.Spo2, 95.0), (VitalKind.HeartRate, 95.0), (VitalKind.SystolicBp, 120.0), (VitalKind.BodyTemperature, 37.0) })
        {
            await engine.ReadingAsync(kind, value);
        }
        // InfluxDB down: the NEWS2 rule already holds the latest readings, so the score does not wait for it to return
        // (until 27 November 2026 each such decision asked the store, failed and was retried).
        engine.Readings.Unreachable = true;

        _clock.Advance(TimeSpan.FromMinutes(10));
        var raised = Assert.Single(await engine.AcvpuAsync(AcvpuLevel.Voice), e => e.Alert.ConditionKey == "news2");
        Assert.Equal((AlertEventType.Raised, AlertSeverity.Critical, (double?)7.0), (raised.Type, raised.Alert.Severity, raised.Alert.LastMeasure));
        Assert.Equal(0, engine.Readings.LatestQueries);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_putting_a_person_on_oxygen_re_scores_NEWS2_at_once()
    {
        var engine = Harness();
        await engine.Patients.CreateAsync(new PatientRecord(EngineHarness.Patient, "Harness Person", null, null, News2Scale.Scale1, false, "team-1", Start));
        foreach (var (kind, value) in new[] { (VitalKind.RespiratoryRate, 22.0), (VitalKind.Spo2, 95.0), (VitalKind.HeartRate, 95.0), (VitalKind.SystolicBp, 120.0), (VitalKind.BodyTemperature, 37.0) })
        {
            await engine.ReadingAsync(kind, value);
        }
        Assert.Null(await engine.ActiveAsync("news2"));

        _clock.Advance(TimeSpan.FromMinutes(10));
        await engine.Patients.UpdateCareSettingsAsync(EngineHarness.Patient,
            new CareSettingsUpdate(News2Scale.Scale1, true, "nurse-1", "home oxygen started", engine.Now));
        var raised = Assert.Single(await engine.RunAsync(), e => e.Alert.ConditionKey == "news2");
        // 4 + 2 for supplemental oxygen = 6: medium risk, an urgent response.
        Assert.Equal((AlertEventType.Raised, AlertSeverity.High, (double?)6.0), (raised.Type, raised.Alert.Severity, raised.Alert.LastMeasure));
    }

    /// <summary>Plans compare by their lists' contents, not the lists' identity.</summary>
    private sealed class PlanComparer : IEqualityComparer<MonitoringPlan?>
    {
        public static readonly PlanComparer Instance = new();

        public bool Equals(MonitoringPlan? x, MonitoringPlan? y) =>
            x is not null && y is not null && x.PatientId == y.PatientId && x.TimeZoneId == y.TimeZoneId
            && x.ScheduledReadings.SequenceEqual(y.ScheduledReadings) && x.ActivityWindows.SequenceEqual(y.ActivityWindows) && x.Heartbeats.SequenceEqual(y.Heartbeats);

        public int GetHashCode(MonitoringPlan? obj) => obj?.PatientId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}

/// <summary>On the embedded engine.</summary>
public sealed class MonitoringPlanWiringTests() : MonitoringPlanWiringConformance(new SqliteStoreEngine());
