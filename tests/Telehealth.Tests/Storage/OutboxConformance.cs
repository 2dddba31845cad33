using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Fhir.Outbox;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;
using Telehealth.Contracts.Outbox;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>The one outbox under both adapters, on every care-record engine: kinds kept apart, delivered rows swept.</summary>
public abstract class OutboxConformance(IStoreEngine engine) : StoreSuite(engine)
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);

    protected override TimeProvider Clock => _clock;

    private FhirOutbox Fhir => new(Get<IOutboxStore>());

    private NotificationOutbox Notifications => new(Get<IOutboxStore>());

    protected static FhirOutboxItem Flag(string patient, string id, string json) =>
        new(patient, "Flag", id, "urn:test:alert", id, json);

    protected static NotificationRequest Request(string recipient, Guid alert, string address) =>
        new(new Notification(
            Key: $"{alert:N}:0:{recipient}", AlertId: alert, IncidentId: null, PatientRef: "pat-n", TeamId: "team-a",
            Severity: AlertSeverity.Critical, Condition: "news2", Code: "news2_emergency", Recipient: recipient, RecipientKind: "staff", Step: 0,
            Reason: "Raised", RaisedAt: T0, RespondBy: T0.AddMinutes(30), AlertUrl: null, CreatedAt: T0), "email", address);

    [Fact]
    public async Task Delivered_messages_are_swept_after_the_retention_and_pending_and_failed_ones_stay()
    {
        var alert = Guid.NewGuid();
        await Fhir.EnqueueAsync([Flag("pat-a", "a1", "1"), Flag("pat-a", "a2", "2"), Flag("pat-b", "b1", "3"), Flag("pat-b", "b2", "4"), Flag("pat-c", "c1", "5")]);
        await Notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org"), Request("nurse.b", alert, "b@example.org"), Request("lead", alert, "l@example.org")]);
        var fhir = await Fhir.GetPendingAsync(10, []);
        var notes = await Notifications.PendingAsync(10);
        _clock.Advance(TimeSpan.FromHours(1));
        await Fhir.MarkSentAsync(fhir[0].Entry.Seq, 201, 1, _clock.GetUtcNow());
        await Fhir.MarkSentAsync(fhir[1].Entry.Seq, 200, 2, _clock.GetUtcNow());
        await Fhir.MarkFailedAsync(fhir[2].Entry.Seq, 422, "{}", 1);
        _clock.Advance(TimeSpan.FromHours(1));
        await Notifications.RecordPassAsync(notes[0].Seq, NotificationStatus.Sent, 1, 250, null, _clock.GetUtcNow(), _clock.GetUtcNow());
        await Notifications.RecordPassAsync(notes[1].Seq, NotificationStatus.Failed, 1, 550, "no such mailbox", _clock.GetUtcNow(), _clock.GetUtcNow());
        var sweeper = new OutboxRetentionSweeper(Get<IOutboxStore>(), Options.Create(new StorageOptions()), _clock, NullLogger<OutboxRetentionSweeper>.Instance);

        // Seven days after the first two were delivered: not yet (retention is "older than").
        _clock.SetUtcNow(T0.AddHours(1).AddDays(7));
        Assert.Equal(0, await sweeper.SweepOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal(new FhirOutboxCounts(2, 0, 1), await Fhir.CountAsync());
        Assert.Equal(2, (await Notifications.ListAsync(null, 10)).Count(e => e.Status != NotificationStatus.Failed));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal([NotificationStatus.Pending, NotificationStatus.Failed], (await Notifications.ListAsync(null, 10)).Select(e => e.Status).ToArray());
        Assert.Equal(new FhirOutboxCounts(2, 0, 1), await Fhir.CountAsync());

        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(0, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal(["4", "5"], (await Fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
    }

    [Fact]
    public async Task A_pages_push_outcomes_are_recorded_together_each_as_alone()
    {
        await Fhir.EnqueueAsync([Flag("pat-a", "a1", "1"), Flag("pat-a", "a2", "2"), Flag("pat-b", "b1", "3"), Flag("pat-c", "c1", "4"), Flag("pat-c", "c2", "5")]);
        var page = await Fhir.GetPendingAsync(10, []);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var sentAt = _clock.GetUtcNow();
        var error = new string('x', 9_000);

        await Fhir.RecordAsync([
            new FhirPushRecord(page[0].Entry.Seq, FhirOutboxStatus.Sent, 1, 201, null, sentAt),
            new FhirPushRecord(page[1].Entry.Seq, FhirOutboxStatus.Sent, 3, 200, null, sentAt),
            new FhirPushRecord(page[2].Entry.Seq, FhirOutboxStatus.Failed, 1, 422, error, null),
            new FhirPushRecord(page[3].Entry.Seq, FhirOutboxStatus.Pending, 4, 503, "HTTP 503", null),
        ]);
        await Fhir.RecordAsync([]);

        Assert.Equal(new FhirOutboxCounts(2, 2, 1), await Fhir.CountAsync());
        var entries = (await Fhir.ListAsync(null, 10)).OrderBy(e => e.Seq).ToArray();
        Assert.Equal(
            [(FhirOutboxStatus.Sent, 1, (int?)201, (string?)null, (DateTimeOffset?)sentAt), (FhirOutboxStatus.Sent, 3, 200, null, sentAt),
             (FhirOutboxStatus.Failed, 1, 422, error[..8000], null), (FhirOutboxStatus.Pending, 4, 503, "HTTP 503", null), (FhirOutboxStatus.Pending, 0, null, null, null)],
            entries.Select(e => (e.Status, e.Attempts, e.LastStatusCode, e.LastError, e.SentAt)).ToArray());
        // The transient one is pending again, and its person's later entry behind it.
        Assert.Equal(["4", "5"], (await Fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
    }

    [Fact]
    public async Task The_two_kinds_share_one_table_and_never_see_each_other()
    {
        var alert = Guid.NewGuid();
        await Fhir.EnqueueAsync([Flag("pat-n", "x1", "fhir")]);
        await Notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org")]);

        Assert.Equal((1, 1), ((await Fhir.ListAsync(null, 10)).Count, (await Notifications.ListAsync(null, 10)).Count));
        Assert.Equal(["fhir"], (await Fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
        Assert.Equal(["nurse.a"], (await Notifications.PendingAsync(10)).Select(e => e.Notification.Recipient).ToArray());
        Assert.Equal(new FhirOutboxCounts(1, 0, 0), await Fhir.CountAsync());
        // Queued again (a follower replaying the log): nothing added to either.
        Assert.Equal(0, await Fhir.EnqueueAsync([Flag("pat-n", "x1", "fhir")]));
        Assert.Equal(0, await Notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org")]));
    }

    [Fact]
    public async Task One_call_appends_in_order_dedupes_within_itself_and_holds_more_than_one_batch_of_statements()
    {
        // 1,201 messages: more than two of PostgreSQL's 500-statement round trips, with the same content twice for one
        // key (appended once) and a new version for another (appended again, as a new row).
        var items = Enumerable.Range(0, 1_199).Select(i => Flag("pat-n", $"obs-{i:D4}", $"v1-{i}")).ToList();
        items.Add(Flag("pat-n", "obs-0007", "v1-7"));
        items.Add(Flag("pat-n", "obs-0008", "v2-8"));

        Assert.Equal(1_200, await Fhir.EnqueueAsync(items));

        var pending = await Fhir.GetPendingAsync(2_000, []);
        Assert.Equal(1_200, pending.Count);
        Assert.Equal([.. Enumerable.Range(0, 1_199).Select(i => $"v1-{i}"), "v2-8"], pending.Select(p => p.Json).ToArray());
    }
}
