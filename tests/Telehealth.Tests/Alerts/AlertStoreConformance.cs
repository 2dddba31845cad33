using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telehealth.Alerts;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.News2;
using Microsoft.Extensions.Hosting;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Rules;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;

using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>Alerts and their event log: the same tests on every care-record engine.</summary>
public abstract class AlertStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Alerts_round_trip_and_list_newest_first_with_filters()
    {
        var store = Get<IAlertStore>();
        var log = Get<IAlertEventLog>();
        var open = await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));
        var acknowledgedActive = await CommitAsync(store, AlertCaseLifecycle.Acknowledge(
            await CommitAsync(store, TestAlerts.Raise("pat-a", "news2", Start.AddMinutes(1))), "nurse.jones", Start.AddMinutes(2)));
        var resolved = await CommitAsync(store, AlertCaseLifecycle.Resolve(
            await CommitAsync(store, TestAlerts.Raise("pat-a", "event:fall_detected", Start.AddMinutes(2), AlertSeverity.Critical, instantaneous: true)),
            "nurse.jones", AlertOutcome.ActionTaken, "visited", Start.AddMinutes(3)));
        var otherPatient = await CommitAsync(store, TestAlerts.Raise("pat-b", "threshold:spo2", Start.AddMinutes(3)));

        Assert.Equal(resolved, await store.GetAsync(resolved.Id));
        Assert.Equal((AlertCaseStatus.Resolved, AlertOutcome.ActionTaken, "nurse.jones"), (resolved.Status, resolved.Outcome, resolved.ResolvedBy));
        Assert.Equal(acknowledgedActive, await store.GetActiveAsync("pat-a", "news2"));
        Assert.Null(await store.GetActiveAsync("pat-a", "event:fall_detected"));
        Assert.Equal([open.Id, acknowledgedActive.Id], (await store.ListActiveForPatientAsync("pat-a")).Select(a => a.Id));
        Assert.Equal([resolved.Id, acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a"))).Select(a => a.Id));
        Assert.Equal([acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a", ActiveOnly: true))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id, open.Id], (await store.ListAsync(new AlertQuery(Status: AlertCaseStatus.Open))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id], (await store.ListAsync(new AlertQuery(Limit: 1))).Select(a => a.Id));
    }

    [Fact]
    public async Task Events_keep_the_cores_fields_and_wire_names()
    {
        var store = Get<IAlertStore>();
        var log = Get<IAlertEventLog>();
        var raised = await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));
        await CommitAsync(store, AlertCaseLifecycle.Snooze(raised, "nurse.jones", Start.AddMinutes(30), ResponsePolicy.Default, Start.AddMinutes(1)));
        await CommitAsync(store, AlertCaseLifecycle.Assign(raised, "nurse.jones", "nurse.smith", Start.AddMinutes(2)));

        var events = await log.ForAlertAsync(raised.Id);

        Assert.Equal([AlertEventType.Raised, AlertEventType.Snoozed, AlertEventType.Assigned], events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Event.Sequence!.Value));
        Assert.Equal(("nurse.jones", "nurse.jones", Start.AddMinutes(30)), (events[1].Actor, events[1].Event.Subject, events[1].Event.Until));
        Assert.Equal(("nurse.smith", "nurse.smith"), (events[2].Event.Subject, events[2].Alert.AssignedTo));
        Assert.Equal(AlertSeverity.High, events[0].Event.Severity);
    }

    [Fact]
    public async Task The_database_refuses_a_second_not_resolved_alert_for_one_condition()
    {
        var store = Get<IAlertStore>();
        var log = Get<IAlertEventLog>();
        await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));

        await Assert.ThrowsAsync<DuplicateActiveAlertException>(() =>
            store.CommitAsync(new AlertCommit("pat-a", [TestAlerts.Raise("pat-a", "threshold:spo2", Start)], [])));
        Assert.Equal(1, await log.LatestSequenceAsync());
    }

    [Fact]
    public async Task A_pass_of_several_patients_commits_in_one_transaction_and_answers_each_patients_events()
    {
        var store = Get<IAlertStore>();
        var log = Get<IAlertEventLog>();
        var forA = TestAlerts.Raise("pat-a", "threshold:spo2", Start);
        var forB = TestAlerts.Raise("pat-b", "threshold:spo2", Start.AddSeconds(1));
        var forC = TestAlerts.Raise("pat-c", "news2", Start.AddSeconds(2));

        var recorded = await store.CommitManyAsync([
            new AlertCommit("pat-a", [forA], []),
            new AlertCommit("pat-quiet", [], []),
            new AlertCommit("pat-b", [forB], []),
            new AlertCommit("pat-c", [forC], []),
        ]);

        Assert.Equal([1, 0, 1, 1], recorded.Select(events => events.Count));
        Assert.Equal([(1L, forA.Alert.Id), (2L, forB.Alert.Id), (3L, forC.Alert.Id)],
            recorded.SelectMany(events => events).Select(e => (e.Sequence, e.AlertId)));
        Assert.Equal(3, await log.LatestSequenceAsync());
        Assert.Equal(forB.Alert.Id, (await store.GetActiveAsync("pat-b", "threshold:spo2"))!.Id);
    }

    [Fact]
    public async Task A_pass_whose_one_commit_fails_records_nothing_of_any_patient()
    {
        var store = Get<IAlertStore>();
        var log = Get<IAlertEventLog>();
        await CommitAsync(store, TestAlerts.Raise("pat-b", "threshold:spo2", Start));

        await Assert.ThrowsAsync<DuplicateActiveAlertException>(() => store.CommitManyAsync([
            new AlertCommit("pat-a", [TestAlerts.Raise("pat-a", "threshold:spo2", Start)], []),
            new AlertCommit("pat-b", [TestAlerts.Raise("pat-b", "threshold:spo2", Start)], []),
        ]));

        Assert.Equal(1, await log.LatestSequenceAsync());
        Assert.Empty(await store.ListActiveForPatientAsync("pat-a"));
    }

    [Fact]
    public async Task A_pass_writes_every_patients_rule_states_and_wake_ups_and_the_last_state_of_a_rule_wins()
    {
        var store = Get<IAlertStore>();
        var states = Get<Telehealth.CareRecord.Evaluation.IRuleStateStore>();
        // A rule about the person rather than one device (news2) keeps no device.
        static Telehealth.CareRecord.Evaluation.StoredRuleState State(string key, string json, DateTimeOffset? wakeAt) =>
            new(key, new Telehealth.CareRecord.Evaluation.RuleState(json), wakeAt,
                key == "news2" ? null : new Telehealth.CareRecord.Observations.DeviceRef("dev-1", "oximeter"), Start);
        await store.CommitManyAsync([new AlertCommit("pat-a", [], [], [State("silence", "{\"n\":1}", Start.AddMinutes(30))])]);

        await store.CommitManyAsync([
            new AlertCommit("pat-a", [], [], [State("silence", "{\"n\":2}", null), State("news2", "{\"n\":3}", Start.AddMinutes(5))]),
            new AlertCommit("pat-b", [], [], [State("silence", "{\"n\":4}", Start.AddMinutes(60))]),
            new AlertCommit("pat-a", [], [], [State("news2", "{\"n\":5}", Start.AddMinutes(10))]),
        ]);

        var a = await states.LoadAsync("pat-a");
        var b = await states.LoadAsync("pat-b");
        Assert.Equal([("news2", "{\"n\":5}", (DateTimeOffset?)Start.AddMinutes(10)), ("silence", "{\"n\":2}", null)],
            a.Values.OrderBy(v => v.RuleKey, StringComparer.Ordinal).Select(v => (v.RuleKey, v.State.Json, v.WakeAt)));
        Assert.Equal([("silence", "{\"n\":4}", (DateTimeOffset?)Start.AddMinutes(60))], b.Values.Select(v => (v.RuleKey, v.State.Json, v.WakeAt)));
        Assert.Equal(Start.AddMinutes(10), await states.NextWakeAsync());
        Assert.Equal([null, "dev-1"], a.Values.OrderBy(v => v.RuleKey, StringComparer.Ordinal).Select(v => v.Device?.DeviceId));
    }

    [Fact]
    public async Task News2_assessments_of_a_pass_are_stored_once_each()
    {
        var assessments = Get<Telehealth.CareRecord.News2.INews2AssessmentStore>();
        var a = Telehealth.Tests.Fhir.FhirSamples.Assessment(
            new Reading("dev-a", "pat-a", VitalKind.Spo2, 91, Start, Start), new Reading("dev-a", "pat-a", VitalKind.HeartRate, 120, Start, Start));
        var b = Telehealth.Tests.Fhir.FhirSamples.Assessment(new Reading("dev-b", "pat-b", VitalKind.Spo2, 97, Start, Start));

        var c = Telehealth.Tests.Fhir.FhirSamples.Assessment(new Reading("dev-c", "pat-c", VitalKind.Spo2, 95, Start, Start));
        var d = Telehealth.Tests.Fhir.FhirSamples.Assessment(new Reading("dev-d", "pat-d", VitalKind.Spo2, 88, Start, Start));

        Assert.Equal(1, await assessments.AppendManyAsync([a]));
        Assert.Equal(1, await assessments.AppendManyAsync([a, b]));
        Assert.Equal(0, await assessments.AppendManyAsync([]));
        // One assessment twice in a pass, beside another and one stored before: each new one counted and stored once.
        Assert.Equal(2, await assessments.AppendManyAsync([c, b, c, d]));

        Assert.Equal([a.Id], (await assessments.ListAsync("pat-a")).Select(x => x.Id));
        Assert.Equal([b.Id], (await assessments.ListAsync("pat-b")).Select(x => x.Id));
        Assert.Equal([c.Id], (await assessments.ListAsync("pat-c")).Select(x => x.Id));
        Assert.Equal([d.Id], (await assessments.ListAsync("pat-d")).Select(x => x.Id));
        Assert.Equal((5, News2Scale.Scale1), ((await assessments.GetAsync(a.Id))!.Score.Total, (await assessments.GetAsync(a.Id))!.Scale));
    }

    private static async Task<AlertCase> CommitAsync(IAlertStore store, AlertChange change)
    {
        Assert.True(change.Changed, change.Refused);
        await store.CommitAsync(new AlertCommit(change.Alert.PatientId, [change], []));
        return change.Alert;
    }
}
