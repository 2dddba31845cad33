using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Tests.Alerts;
using Telehealth.CareRecord.Evaluation;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Evaluation;

/// <summary>
/// The durable "evaluation due" record (H2) on every care-record engine: in order per patient, idempotent on the
/// data's identity, completed only together with the alerts it led to.
/// </summary>
[Trait("Hazard", "H2")]
public abstract class EvaluationQueueConformance(IStoreEngine engine) : StoreSuite(engine)
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    protected IEvaluationQueue Queue => Get<IEvaluationQueue>();

    [Fact]
    public async Task A_stored_event_is_queued_with_its_data_and_a_repeat_is_not()
    {
        var events = Get<ITelecareEventStore>();
        var press = new TelecareEvent("dev-p", "pat-a", TelecareEventType.PendantPress, Start, Start);

        Assert.True(await events.AppendAsync(press));
        Assert.False(await events.AppendAsync(press));

        var item = Assert.Single(await Queue.ClaimAsync(100, Start, []));
        Assert.Equal((DueItemKind.TelecareEvent, press), (item.Kind, item.Event));
    }

    [Fact]
    public async Task Enqueueing_again_what_was_already_evaluated_queues_nothing_so_a_late_redelivery_is_not_evaluated_twice()
    {
        var reading = Reading("pat-a", "dev-1", VitalKind.Spo2, 91, 0);
        await Queue.EnqueueReadingsAsync([reading]);
        var item = Assert.Single(await Queue.ClaimAsync(100, Start, []));
        await CompleteAsync("pat-a", item.Sequence);

        await Queue.EnqueueReadingsAsync([reading]);

        Assert.Empty(await Queue.ClaimAsync(100, Start, []));
        Assert.Equal((0, null), await Queue.PendingAsync());
    }

    [Fact]
    public async Task One_call_queues_a_batch_in_its_order_per_person_once_each_and_skips_what_the_queue_already_holds()
    {
        var held = Reading("pat-a", "dev-a", VitalKind.Spo2, 91, 0);
        await Queue.EnqueueReadingsAsync([held]);
        var batch = new[]
        {
            Reading("pat-b", "dev-b", VitalKind.HeartRate, 120, 1),
            held,
            Reading("pat-a", "dev-a", VitalKind.Spo2, 90, 2),
            Reading("pat-b", "dev-b", VitalKind.HeartRate, 121, 3),
            Reading("pat-a", "dev-a", VitalKind.Spo2, 90, 2), // repeated within the call (a redelivery in the same batch)
            Reading("pat-a", "dev-a", VitalKind.RespiratoryRate, 24, 2),
        };

        await Queue.EnqueueReadingsAsync(batch);

        var claimed = await Queue.ClaimAsync(100, Start.AddSeconds(5), []);
        // Order matters per person (each is evaluated alone, in queue order); how two people's items interleave does not.
        Assert.Equal(5, claimed.Count);
        Assert.Equal(
            [("pat-a", VitalKind.Spo2, 91.0, 0), ("pat-a", VitalKind.Spo2, 90.0, 2), ("pat-a", VitalKind.RespiratoryRate, 24.0, 2)],
            claimed.Where(item => item.PatientId == "pat-a").Select(item => (item.PatientId, item.Reading!.Kind, item.Reading.Value, (int)(item.Reading.DeviceTime - Start).TotalSeconds)));
        Assert.Equal(
            [("pat-b", VitalKind.HeartRate, 120.0, 1), ("pat-b", VitalKind.HeartRate, 121.0, 3)],
            claimed.Where(item => item.PatientId == "pat-b").Select(item => (item.PatientId, item.Reading!.Kind, item.Reading.Value, (int)(item.Reading.DeviceTime - Start).TotalSeconds)));
        Assert.True(claimed.Select(item => item.Sequence).SequenceEqual(claimed.Select(item => item.Sequence).Order()));
        Assert.Equal(5, (await Queue.PendingAsync()).Count);
    }

    [Fact]
    public async Task A_failed_patient_waits_out_its_back_off_whole_while_other_patients_go_on()
    {
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 91, 0), Reading("pat-b", "dev-b", VitalKind.Spo2, 97, 0)]);
        var first = await Queue.ClaimAsync(100, Start, []);
        var failed = first.Single(item => item.PatientId == "pat-a");
        await Queue.DeferAsync([failed.Sequence], "InvalidOperationException", Start.AddSeconds(10));
        // Newer data for the failed patient must not overtake its failed item.
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 85, 60)]);

        var during = await Queue.ClaimAsync(100, Start.AddSeconds(9), []);
        Assert.Equal(["pat-b"], during.Select(item => item.PatientId));

        var after = await Queue.ClaimAsync(100, Start.AddSeconds(10), []);
        Assert.Equal(["pat-a", "pat-b", "pat-a"], after.Select(item => item.PatientId));
        Assert.Equal([1, 0, 0], after.Select(item => item.Attempts));
    }

    /// <summary>
    /// The people a claim is asked to skip (the caller's running passes hold them) are neither returned nor read out;
    /// everyone else's items come in queue order, and a skipped person whose claimed items are done is claimed again
    /// from their next item.
    /// </summary>
    [Fact]
    public async Task A_claim_skips_the_people_asked_and_once_their_claimed_items_are_done_their_later_items_are_claimed_in_order()
    {
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 91, 0), Reading("pat-b", "dev-b", VitalKind.Spo2, 92, 1),
            Reading("pat-a", "dev-a", VitalKind.Spo2, 93, 2)]);
        var running = await Queue.ClaimAsync(100, Start, ["pat-b"]);
        Assert.Equal([("pat-a", 91.0), ("pat-a", 93.0)], running.Select(item => (item.PatientId, item.Reading!.Value)));
        await Queue.EnqueueReadingsAsync([Reading("pat-c", "dev-c", VitalKind.Spo2, 94, 3), Reading("pat-a", "dev-a", VitalKind.Spo2, 95, 4),
            Reading("pat-b", "dev-b", VitalKind.Spo2, 96, 5)]);

        var beside = await Queue.ClaimAsync(100, Start.AddSeconds(30), ["pat-a"]);

        Assert.Equal([("pat-b", 92.0), ("pat-c", 94.0), ("pat-b", 96.0)], beside.Select(item => (item.PatientId, item.Reading!.Value)));
        Assert.True(beside.Select(item => item.Sequence).SequenceEqual(beside.Select(item => item.Sequence).Order()));
        // Asked again with everyone skipped: nothing, however much is due.
        Assert.Empty(await Queue.ClaimAsync(100, Start.AddSeconds(31), ["pat-a", "pat-b", "pat-c"]));

        await Get<IAlertStore>().CommitAsync(new AlertCommit("pat-a", [], [.. running.Select(item => item.Sequence)]));

        var next = await Queue.ClaimAsync(100, Start.AddSeconds(32), ["pat-b", "pat-c"]);
        Assert.Equal([("pat-a", 95.0)], next.Select(item => (item.PatientId, item.Reading!.Value)));
        Assert.True(next[0].Sequence > running[1].Sequence);
        Assert.Equal(4, (await Queue.PendingAsync()).Count);
    }

    [Fact]
    public async Task Items_are_done_only_with_the_commit_that_records_their_alerts()
    {
        var signal = Get<Telehealth.Contracts.Waking.AlertEventSignal>();
        var alerts = Get<IAlertStore>();
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 85, 0)]);
        var item = Assert.Single(await Queue.ClaimAsync(100, Start, []));
        var raised = TestAlerts.Raise("pat-a", "threshold:spo2", Start);
        var woken = signal.Signal.Next;

        var recorded = await alerts.CommitAsync(new AlertCommit("pat-a", [raised], [item.Sequence]));

        Assert.Equal([(1L, AlertEventType.Raised)], recorded.Select(e => (e.Sequence, e.Type)));
        Assert.Empty(await Queue.ClaimAsync(100, Start, []));
        Assert.True(woken.IsCompleted);
    }

    [Fact]
    public async Task A_commit_that_fails_leaves_its_items_due_and_records_no_event()
    {
        var alerts = Get<IAlertStore>();
        var existing = TestAlerts.Raise("pat-a", "threshold:spo2", Start);
        await alerts.CommitAsync(new AlertCommit("pat-a", [existing], []));
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 85, 0)]);
        var item = Assert.Single(await Queue.ClaimAsync(100, Start, []));
        // A second "raised" for the same open condition violates the one-open-alert rule: the whole commit is refused.
        var duplicate = TestAlerts.Raise("pat-a", "threshold:spo2", Start);

        await Assert.ThrowsAsync<DuplicateActiveAlertException>(() =>
            alerts.CommitAsync(new AlertCommit("pat-a", [duplicate], [item.Sequence])));

        Assert.Equal([item.Sequence], (await Queue.ClaimAsync(100, Start, [])).Select(i => i.Sequence));
        Assert.Equal(1, await Get<IAlertEventLog>().LatestSequenceAsync());
    }

    [Fact]
    public async Task Evaluated_items_are_pruned_after_retention_and_pending_ones_never()
    {
        await Queue.EnqueueReadingsAsync([Reading("pat-a", "dev-a", VitalKind.Spo2, 85, 0), Reading("pat-b", "dev-b", VitalKind.Spo2, 85, 0)]);
        var items = await Queue.ClaimAsync(100, Start, []);
        await CompleteAsync("pat-a", items.Single(i => i.PatientId == "pat-a").Sequence);

        Assert.Equal(0, await Queue.PruneAsync(Start));
        Assert.Equal(1, await Queue.PruneAsync(Start.AddMilliseconds(1)));
        Assert.Equal(["pat-b"], (await Queue.ClaimAsync(100, Start, [])).Select(i => i.PatientId));
    }

    [Fact]
    public async Task A_pending_item_past_the_retention_is_not_pruned_and_still_refuses_a_redelivery()
    {
        var reading = Reading("pat-a", "dev-a", VitalKind.Spo2, 85, 0);
        await Queue.EnqueueReadingsAsync([reading]);

        Assert.Equal(0, await Queue.PruneAsync(Start.AddDays(30)));
        await Queue.EnqueueReadingsAsync([reading]);

        var item = Assert.Single(await Queue.ClaimAsync(100, Start, []));
        await CompleteAsync("pat-a", item.Sequence);
        await Queue.EnqueueReadingsAsync([reading]);
        Assert.Equal((0, null), await Queue.PendingAsync());
        Assert.Equal(1, await Queue.PruneAsync(Start.AddDays(30)));
    }

    protected async Task CompleteAsync(string patientId, long sequence)
    {
        var alerts = Get<IAlertStore>();
        var finding = TestAlerts.Raise(patientId, "threshold:" + sequence, Start, AlertSeverity.Medium);
        await alerts.CommitAsync(new AlertCommit(patientId, [finding], [sequence]));
    }

    protected static Reading Reading(string patientId, string deviceId, VitalKind kind, double value, int seconds) =>
        new(deviceId, patientId, kind, value, Start.AddSeconds(seconds), Start.AddSeconds(seconds));
}
