using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres.Alerts;
using Telehealth.Tests.Alerts;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// A pass's records read at once on PostgreSQL (<see cref="PostgresEvaluationRecordReader"/>) answer exactly what the
/// stores answer one person and one table at a time, for people with every kind of record, a person with nothing but a
/// patient row, and an id the care record does not hold.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresEvaluationRecordReaderTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public void The_postgres_stores_register_the_pass_reader() =>
        Assert.IsType<PostgresEvaluationRecordReader>(Get<IEvaluationRecordReader>());

    [Fact]
    [Trait("Hazard", "H13")]
    public async Task H13_a_pass_read_answers_what_each_store_answers_for_each_person()
    {
        // The harness person: two threshold changes, an ACVPU history, a plan, a device expected every minute (a rule
        // with a wake-up), readings that raise alerts, and one alert resolved (not read as active).
        var engine = new EngineHarness(Services, _clock);
        await engine.Patients.CreateAsync(new PatientRecord(EngineHarness.Patient, "Harness Person", "9434765919", new DateOnly(1950, 4, 1),
            News2Scale.Scale2, true, "team-1", Start));
        await engine.Thresholds.SetOverridesAsync(EngineHarness.Patient, [new VitalThreshold(VitalKind.Spo2, 85, 88, null, null)], "nurse-1", Start);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await engine.Thresholds.SetOverridesAsync(EngineHarness.Patient,
            [new VitalThreshold(VitalKind.Spo2, 86, 89, null, null), new VitalThreshold(VitalKind.HeartRate, 35, 45, 110, 130)], "nurse-2", _clock.GetUtcNow());
        await engine.AcvpuAsync(AcvpuLevel.Alert);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await engine.AcvpuAsync(AcvpuLevel.NewConfusion);
        await engine.PlanAsync(new MonitoringPlan(EngineHarness.Patient, MonitoringPlan.DefaultTimeZoneId,
            [new ScheduledReading(VitalKind.SystolicBp, "cuff-1", "blood_pressure_monitor", new TimeOnly(7, 0), new TimeOnly(11, 0), TimeSpan.FromMinutes(30), Start)],
            [], []));
        // The pendant falls silent for three intervals (an alert), then is heard again: that alert resolves itself.
        await engine.StatusAsync("dev-1", "pendant_alarm", intervalSeconds: 60);
        Assert.Equal("silence:dev-1", Assert.Single(await engine.AdvanceAsync(TimeSpan.FromMinutes(3))).Alert.ConditionKey);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await engine.StatusAsync("dev-1", "pendant_alarm", intervalSeconds: 60);
        await engine.ReadingAsync(VitalKind.Spo2, 84);
        await engine.ReadingAsync(VitalKind.HeartRate, 140);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await engine.ReadingAsync(VitalKind.HeartRate, 80);
        // Another person with a patient row only, and an id nobody holds.
        await engine.Patients.CreateAsync(new PatientRecord("pat-plain", "Plain Person", null, null, News2Scale.Scale1, null, "team-2", Start));

        var harnessAlerts = await engine.AllAsync();
        Assert.True(harnessAlerts.Count(alert => alert.Status != AlertCaseStatus.Resolved) >= 2, "the harness person has active alerts");
        Assert.Equal("silence:dev-1", Assert.Single(harnessAlerts, alert => alert.Status == AlertCaseStatus.Resolved).ConditionKey);
        Assert.NotNull(await engine.RuleStates.NextWakeAsync());

        var records = await Get<IEvaluationRecordReader>().ReadAsync([EngineHarness.Patient, "pat-plain", "pat-nobody", "pat-plain"]);

        Assert.Equal(["pat-harness", "pat-nobody", "pat-plain"], records.Keys.Order(StringComparer.Ordinal));
        foreach (var patientId in records.Keys)
        {
            var record = records[patientId];
            Assert.Equal(patientId, record.PatientId);
            Assert.Equal(await engine.Patients.GetAsync(patientId), record.Patient);
            Assert.Equal(await engine.Consciousness.LatestAsync(patientId), record.LatestConsciousness);
            Assert.Equal(Describe((await engine.Thresholds.GetEffectiveAsync(patientId)).All), Describe(record.Thresholds.All));
            foreach (var at in new[] { Start.AddMilliseconds(-1), Start, Start.AddSeconds(59), Start.AddMinutes(1), Start.AddDays(1) })
            {
                Assert.Equal(Describe((await engine.Thresholds.GetTimelineAsync(patientId)).At(at).All), Describe(record.Timeline.At(at).All));
            }
            var states = await engine.RuleStates.LoadAsync(patientId);
            Assert.Equal(states.Keys.Order(StringComparer.Ordinal), record.RuleStates.Keys.Order(StringComparer.Ordinal));
            Assert.All(states, state => Assert.Equal(state.Value, record.RuleStates[state.Key]));
            Assert.Equal(Describe(await engine.Plans.GetAsync(patientId)), Describe(record.Plan));
            Assert.Equal(Describe(await engine.Alerts.ListActiveForPatientAsync(patientId)), Describe(record.ActiveAlerts));
        }
        // What the comparisons above stand on: the harness person's record is full, the others' empty.
        var harness = records[EngineHarness.Patient];
        Assert.Equal((AcvpuLevel.NewConfusion, Start.AddMinutes(2)), (harness.LatestConsciousness!.Level, harness.LatestConsciousness.ObservedAt));
        Assert.Equal((86.0, 89.0), (harness.Thresholds.For(VitalKind.Spo2)!.CriticalLow!.Value, harness.Thresholds.For(VitalKind.Spo2)!.Low!.Value));
        Assert.Equal(88.0, harness.Timeline.At(Start.AddSeconds(59)).For(VitalKind.Spo2)!.Low);
        Assert.Equal("cuff-1", Assert.Single(harness.Plan!.ScheduledReadings).DeviceId);
        Assert.Contains(harness.RuleStates.Values, state => state.WakeAt is not null);
        Assert.Equal(harnessAlerts.Count(alert => alert.Status != AlertCaseStatus.Resolved), harness.ActiveAlerts.Count);
        Assert.Equal(("Plain Person", 0, 0), (records["pat-plain"].Patient!.DisplayName, records["pat-plain"].RuleStates.Count, records["pat-plain"].ActiveAlerts.Count));
        Assert.Equal((null, null, null), (records["pat-nobody"].Patient, records["pat-nobody"].LatestConsciousness, records["pat-nobody"].Plan));
        Assert.Equal(Describe(ThresholdSet.Defaults.All), Describe(records["pat-nobody"].Thresholds.All));
    }

    [Fact]
    public async Task No_ids_answers_no_records() =>
        Assert.Empty(await Get<IEvaluationRecordReader>().ReadAsync([]));

    private static string Describe(object? value) => JsonSerializer.Serialize(value, Json);
}
