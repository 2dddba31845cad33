using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Caseload;

namespace Telehealth.Tests.Alerts;

public sealed class AlertEngineTests : IDisposable
{
    private const string Patient = "pat-engine1";
    private const string SpO2Key = "threshold:spo2";

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReadingStore _readings = new();
    private readonly SqliteAlertStore _alerts;
    private readonly SqlitePatientRepository _patients;
    private readonly SqliteThresholdRepository _thresholds;
    private readonly SqliteNews2AssessmentStore _assessments;
    private readonly AlertEngine _engine;

    public AlertEngineTests()
    {
        _alerts = new SqliteAlertStore(_temp.Database);
        _patients = new SqlitePatientRepository(_temp.Database);
        _thresholds = new SqliteThresholdRepository(_temp.Database);
        _assessments = new SqliteNews2AssessmentStore(_temp.Database);
        _engine = new AlertEngine(new InterleavingAlertStore(_alerts), _alerts, new SqliteRuleStateStore(_temp.Database), _readings, _thresholds, _patients, _assessments, [], Options.Create(new AlertOptions()), _clock, NullLogger<AlertEngine>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_breach_raises_exactly_one_alert()
    {
        await Store(VitalKind.Spo2, 89);

        var alerts = await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key));

        var alert = Assert.Single(alerts);
        Assert.Equal((SpO2Key, AlertSeverity.Critical, AlertCaseStatus.Open, true, 1), (alert.ConditionKey, alert.Severity, alert.Status, alert.ConditionActive, alert.Occurrences));
        Assert.Equal("SpO2 89 % below default critical low 91 %", alert.Reason);
        Assert.Equal(_clock.GetUtcNow(), alert.RaisedAt);
    }

    [Fact]
    public async Task An_ongoing_breach_updates_one_alert_instead_of_raising_duplicates()
    {
        await Store(VitalKind.Spo2, 92);
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(15));
            await Store(VitalKind.Spo2, 92 - i);
        }

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        Assert.Equal(6, alert.Occurrences);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal("SpO2 88 % below default critical low 91 %", alert.Reason);
        Assert.Equal(_clock.GetUtcNow(), alert.UpdatedAt);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(75), alert.RaisedAt);
    }

    [Fact]
    public async Task A_normal_reading_clears_but_the_alert_stays_until_acknowledged()
    {
        await Store(VitalKind.Spo2, 89);
        _clock.Advance(TimeSpan.FromMinutes(30));
        await Store(VitalKind.Spo2, 97);

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key, ActiveOnly: true)));
        Assert.Equal((false, AlertCaseStatus.Open), (alert.ConditionActive, alert.Status));
        Assert.Equal(_clock.GetUtcNow(), alert.ClearedAt);

        var acknowledged = await _engine.AcknowledgeAsync(alert.Id, "nurse.jones");

        Assert.True(acknowledged.Alert!.IsResolved);
        Assert.Empty(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key, ActiveOnly: true)));
    }

    [Fact]
    public async Task After_acknowledgement_and_clearing_a_new_breach_raises_a_second_alert()
    {
        await Store(VitalKind.Spo2, 89);
        var first = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        await _engine.AcknowledgeAsync(first.Id, "nurse.jones");
        _clock.Advance(TimeSpan.FromMinutes(10));
        await Store(VitalKind.Spo2, 89);
        Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));   // still active: updated, not duplicated

        _clock.Advance(TimeSpan.FromMinutes(10));
        await Store(VitalKind.Spo2, 96);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await Store(VitalKind.Spo2, 89);

        var alerts = await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key));
        Assert.Equal(2, alerts.Count);
        Assert.Equal(first.Id, alerts[1].Id);
        Assert.True(alerts[1].IsResolved);
        Assert.Equal(2, alerts[1].Occurrences);
        Assert.NotEqual(first.Id, alerts[0].Id);
        Assert.Equal((AlertCaseStatus.Open, true, 1), (alerts[0].Status, alerts[0].ConditionActive, alerts[0].Occurrences));
    }

    [Fact]
    public async Task A_pendant_press_raises_a_critical_alert_immediately_and_repeats_count()
    {
        var press = new TelecareEvent("dev-pendant", Patient, TelecareEventType.PendantPress, _clock.GetUtcNow(), _clock.GetUtcNow());

        await _engine.EvaluateEventAsync(press, CancellationToken.None);

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient)));
        Assert.Equal(("event:pendant_press", AlertSeverity.Critical, AlertCaseStatus.Open, false), (alert.ConditionKey, alert.Severity, alert.Status, alert.ConditionActive));
        var raised = Assert.Single(await _alerts.ReadAfterAsync(0, 100));
        Assert.Equal((AlertEventType.Raised, alert.Id, AlertEvent.System), (raised.Type, raised.AlertId, raised.Actor));

        _clock.Advance(TimeSpan.FromSeconds(30));
        await _engine.EvaluateEventAsync(press with { DeviceTime = _clock.GetUtcNow() }, CancellationToken.None);
        Assert.Equal(2, Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient))).Occurrences);

        // An event has nothing to clear: acknowledged, it stays with the operator until resolved with an outcome.
        var taken = await _engine.AcknowledgeAsync(alert.Id, "operator.7");
        Assert.Equal((AlertCaseStatus.Acknowledged, "operator.7"), (taken.Alert!.Status, taken.Alert.AcknowledgedBy));
        var history = await _alerts.ForAlertAsync(alert.Id);
        Assert.Equal([AlertEventType.Raised, AlertEventType.Updated, AlertEventType.Acknowledged], history.Select(e => e.Type));
        Assert.Equal([AlertEvent.System, AlertEvent.System, "operator.7"], history.Select(e => e.Actor));
    }

    [Fact]
    public async Task News2_is_scored_over_the_latest_readings_and_marked_partial()
    {
        await _patients.CreateAsync(new PatientRecord(Patient, "Test Person", null, null, News2Scale.Scale1, OnSupplementalOxygen: false, "team-a", _clock.GetUtcNow()));

        await Store(VitalKind.Spo2, 92);        // 2
        await Store(VitalKind.HeartRate, 112);  // 2
        await Store(VitalKind.BodyTemperature, 38.5); // 1

        var news2 = await _alerts.GetActiveAsync(Patient, "news2");
        Assert.NotNull(news2);
        Assert.Equal(AlertSeverity.High, news2.Severity);
        Assert.Equal("NEWS2 5 (medium risk): SpO2 2, pulse 2, temperature 1; partial: missing respiration rate, systolic BP, consciousness", news2.Reason);
        Assert.Equal(1, news2.Occurrences);
    }

    [Fact]
    public async Task Each_new_news2_basis_is_stored_once_as_an_assessment_with_its_readings()
    {
        await _patients.CreateAsync(new PatientRecord(Patient, "Test Person", null, null, News2Scale.Scale1, OnSupplementalOxygen: false, "team-a", _clock.GetUtcNow()));

        await Store(VitalKind.Spo2, 92);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Store(VitalKind.HeartRate, 112);
        // A weight reading is not a NEWS2 parameter: the basis, and so the assessment, is unchanged.
        await Store(VitalKind.BodyWeight, 70);

        var stored = await _assessments.ListAsync(Patient);
        Assert.Equal(2, stored.Count);
        var newest = stored[0];
        Assert.Equal(4, newest.Score.Total);
        Assert.Equal([VitalKind.HeartRate, VitalKind.Spo2], newest.Basis.Select(r => r.Kind).ToArray());
        Assert.Equal(_clock.GetUtcNow(), newest.ObservedAt);
        Assert.Equal(News2Assessment.IdFor(Patient, newest.Basis), newest.Id);
        Assert.Equal(2, stored[1].Score.Total);
        Assert.Equal([VitalKind.Spo2], stored[1].Basis.Select(r => r.Kind).ToArray());
        var read = await _assessments.GetAsync(newest.Id);
        Assert.NotNull(read);
        Assert.Equal(newest.Basis, read.Basis);
        Assert.Equal(newest.Score.Missing, read.Score.Missing);
        Assert.Equal(newest.Score.ParameterScores.OrderBy(p => p.Key), read.Score.ParameterScores.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task The_news2_assessment_is_made_from_what_was_evaluated_without_asking_the_reading_store()
    {
        await _patients.CreateAsync(new PatientRecord(Patient, "Test Person", null, null, News2Scale.Scale1, OnSupplementalOxygen: false, "team-a", _clock.GetUtcNow()));
        await Store(VitalKind.Spo2, 92);
        _clock.Advance(TimeSpan.FromMinutes(1));
        // A device clock 3 minutes fast: the rule dates it at its receipt, the basis still names the reading as sent.
        var fast = new Reading("dev-fast-clock", Patient, VitalKind.HeartRate, 112, _clock.GetUtcNow().AddMinutes(3), _clock.GetUtcNow());
        await _engine.EvaluateReadingsAsync(await _readings.AppendAsync([fast]), CancellationToken.None);

        var stored = await _assessments.ListAsync(Patient);
        Assert.Equal(2, stored.Count);
        Assert.Equal(4, stored[0].Score.Total);
        var spo2 = Assert.Single(await _readings.QueryAsync(new ReadingQuery(Patient, VitalKind.Spo2)));
        Assert.Equal([fast, spo2], stored[0].Basis);
        Assert.Equal(News2Assessment.IdFor(Patient, stored[0].Basis), stored[0].Id);
        Assert.Equal(0, _readings.LatestQueries);
    }

    [Fact]
    public async Task A_news2_state_kept_before_device_times_were_recorded_has_the_reading_store_name_its_readings()
    {
        await _patients.CreateAsync(new PatientRecord(Patient, "Test Person", null, null, News2Scale.Scale1, OnSupplementalOxygen: false, "team-a", _clock.GetUtcNow()));
        var received = _clock.GetUtcNow();
        var fast = new Reading("dev-fast-clock", Patient, VitalKind.Spo2, 92, received.AddMinutes(3), received);
        await _readings.AppendAsync([fast]);
        // As a state written before 27 November 2026 holds it: dated at its receipt, its own device time not kept.
        var before = new News2RuleState([new News2Observation(VitalKind.Spo2, 92, received, received, fast.DeviceId)]);
        await _alerts.CommitAsync(new AlertCommit(Patient, [], [], [new StoredRuleState(ConditionKeys.News2, RuleState.Of(before), null, null, received)]));
        _clock.Advance(TimeSpan.FromMinutes(1));

        await Store(VitalKind.HeartRate, 112);

        var assessment = Assert.Single(await _assessments.ListAsync(Patient));
        Assert.Equal(1, _readings.LatestQueries);
        Assert.Equal((4, fast.DeviceTime), (assessment.Score.Total, assessment.Basis.Single(reading => reading.Kind == VitalKind.Spo2).DeviceTime));
        // The old observation stays the latest SpO2, so the store is asked again; a newer SpO2 replaces it, and then
        // the state names every reading itself.
        await Store(VitalKind.BodyTemperature, 38.5);
        Assert.Equal(2, _readings.LatestQueries);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Store(VitalKind.Spo2, 95);
        Assert.Equal(2, _readings.LatestQueries);
        var assessments = await _assessments.ListAsync(Patient);
        Assert.Equal(3, assessments.Count);
        var latest = Assert.Single(assessments, assessment => assessment.Basis.Any(reading => reading.Kind == VitalKind.Spo2 && reading.Value == 95));
        Assert.Equal((4, _clock.GetUtcNow()), (latest.Score.Total, latest.Basis.Single(reading => reading.Kind == VitalKind.Spo2).DeviceTime));
    }

    [Fact]
    public async Task The_event_log_records_raised_then_updated_when_the_condition_clears_unacknowledged()
    {
        await Store(VitalKind.HeartRate, 112);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Store(VitalKind.HeartRate, 72);

        var events = await _alerts.ReadAfterAsync(0, 100);
        Assert.Equal([AlertEventType.Raised, AlertEventType.Updated], events.Select(e => e.Type));
        Assert.Equal([1L, 2L], events.Select(e => e.Sequence));
        Assert.Equal(events[0].AlertId, events[1].AlertId);
        Assert.True(events[0].Alert.ConditionActive);
        Assert.False(events[1].Alert.ConditionActive);
        Assert.Equal(_clock.GetUtcNow(), events[1].At);
        Assert.Equal(2, await _alerts.LatestSequenceAsync());
    }

    [Fact]
    public async Task Acknowledging_twice_records_one_acknowledged_event_with_who_and_another_person_is_told_who_has_it()
    {
        await Store(VitalKind.Spo2, 89);
        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));

        await _engine.AcknowledgeAsync(alert.Id, "nurse.jones");
        var again = await _engine.AcknowledgeAsync(alert.Id, "nurse.jones");
        var second = await _engine.AcknowledgeAsync(alert.Id, "nurse.smith");

        Assert.Equal((null, "nurse.jones"), (again.Refused, again.Alert!.AcknowledgedBy));
        Assert.Equal((StaffActionResult.TakenByAnother, "nurse.jones"), (second.Refused, second.Owner));
        var history = await _alerts.ForAlertAsync(alert.Id);
        Assert.Equal([AlertEventType.Raised, AlertEventType.Acknowledged], history.Select(e => e.Type));
        Assert.Equal("nurse.jones", history[1].Actor);
        Assert.Equal("nurse.jones", history[1].Alert.AcknowledgedBy);
    }

    [Fact]
    public async Task Concurrent_batches_for_one_patient_raise_a_single_alert()
    {
        var batches = Enumerable.Range(0, 10)
            .Select(i => new[] { new Reading($"dev-ox-{i}", Patient, VitalKind.Spo2, 89, _clock.GetUtcNow(), _clock.GetUtcNow()) })
            .ToArray();
        foreach (var batch in batches)
        {
            await _readings.AppendAsync(batch);
        }

        await Task.WhenAll(batches.Select(batch => Task.Run(() => _engine.EvaluateReadingsAsync(batch, CancellationToken.None))));

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        Assert.Equal(10, alert.Occurrences);
        var events = await _alerts.ReadAfterAsync(0, 100);
        Assert.Equal(1, events.Count(e => e.Type == AlertEventType.Raised && e.Alert.ConditionKey == SpO2Key));
        // Whatever order the batches ran in, no repeat at the same severity is news for the log.
        Assert.Equal(0, events.Count(e => e.Type == AlertEventType.Updated && e.Alert.ConditionKey == SpO2Key));
    }

    [Fact]
    public async Task A_late_normal_reading_does_not_clear_an_alert_raised_by_a_newer_one()
    {
        await Store(VitalKind.Spo2, 89);
        var late = new Reading("dev-ox", Patient, VitalKind.Spo2, 97, _clock.GetUtcNow().AddHours(-2), _clock.GetUtcNow());
        await _readings.AppendAsync([late]);

        await _engine.EvaluateReadingsAsync([late], CancellationToken.None);

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        Assert.True(alert.ConditionActive);
    }

    [Fact]
    [Trait("Hazard", "H1")]
    public async Task A_critical_reading_that_arrives_after_a_newer_normal_one_still_raises_one_alert_saying_it_came_late()
    {
        // Delivery order after a store outage or a redelivery is not device-time order: the critical value must alert anyway.
        await Store(VitalKind.Spo2, 97);
        var measuredAt = _clock.GetUtcNow().AddMinutes(-3);
        var late = new Reading("dev-ox", Patient, VitalKind.Spo2, 82, measuredAt, _clock.GetUtcNow());
        await _readings.AppendAsync([late]);

        await _engine.EvaluateReadingsAsync([late], CancellationToken.None);
        await _engine.EvaluateReadingsAsync([late], CancellationToken.None); // a redelivery of the same reading

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.False(alert.ConditionActive); // the present value is normal: the late reading describes the past
        Assert.Equal(AlertCaseStatus.Open, alert.Status);
        Assert.Equal($"SpO2 82 % below default critical low 91 % at {measuredAt:yyyy-MM-dd HH:mm:ss}Z, received after a newer reading (of {_clock.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z)", alert.Reason);
        var events = await _alerts.ReadAfterAsync(0, 100);
        Assert.Equal(1, events.Count(e => e.Type == AlertEventType.Raised && e.Alert.ConditionKey == SpO2Key));
    }

    [Fact]
    public async Task A_late_abnormal_reading_while_the_condition_is_raised_belongs_to_that_episode_and_changes_nothing()
    {
        await Store(VitalKind.Spo2, 89);
        var late = new Reading("dev-ox", Patient, VitalKind.Spo2, 80, _clock.GetUtcNow().AddMinutes(-3), _clock.GetUtcNow());
        await _readings.AppendAsync([late]);

        await _engine.EvaluateReadingsAsync([late], CancellationToken.None);

        var alert = Assert.Single(await _alerts.ListAsync(new AlertQuery(Patient, SpO2Key)));
        Assert.Equal(1, alert.Occurrences);
        Assert.True(alert.ConditionActive);
        Assert.Single(await _alerts.ReadAfterAsync(0, 100), e => e.Alert.ConditionKey == SpO2Key);
    }

    [Fact]
    public async Task Personal_thresholds_are_used()
    {
        await _thresholds.SetOverridesAsync(Patient, [new VitalThreshold(VitalKind.Spo2, 84, 88, null, null)], "dr.patel", _clock.GetUtcNow());

        await Store(VitalKind.Spo2, 90);

        Assert.Null(await _alerts.GetActiveAsync(Patient, SpO2Key));
    }

    [Fact]
    public async Task Acknowledging_an_unknown_alert_returns_null()
    {
        Assert.False((await _engine.AcknowledgeAsync(Guid.NewGuid(), "nurse.jones")).Found);
    }

    private async Task Store(VitalKind kind, double value)
    {
        var reading = new Reading("dev-" + kind.WireName(), Patient, kind, value, _clock.GetUtcNow(), _clock.GetUtcNow());
        var stored = await _readings.AppendAsync([reading]);
        await _engine.EvaluateReadingsAsync(stored, CancellationToken.None);
    }
}
