using Telehealth.Fhir.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Contracts.Outbox;
using Telehealth.Integration.Tests.Storage;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>The FHIR outbox on every care-record engine: what enqueue keeps or skips, order, blocking and visibility.</summary>
public abstract class OutboxStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private FhirOutbox Outbox => new(Get<IOutboxStore>());

    public static TheoryData<string, string, FhirOutboxStatus?, bool> EnqueueCases => new()
    {
        // description, earlier content, what happened to the newest earlier entry (null = still pending), appended?
        { "same version while pending: already on its way", "v1", null, false },
        { "same version already sent: the server holds it", "v1", FhirOutboxStatus.Sent, false },
        { "same version rejected before: try again (e.g. after a server profile fix)", "v1", FhirOutboxStatus.Failed, true },
        { "newer version while pending: sent after the older one", "v0", null, true },
        { "newer version after sent", "v0", FhirOutboxStatus.Sent, true },
    };

    [Theory]
    [MemberData(nameof(EnqueueCases))]
    public async Task Enqueue_skips_only_a_repeat_of_the_newest_version_that_is_pending_or_sent(string description, string earlier, FhirOutboxStatus? outcome, bool appended)
    {
        Assert.Equal(1, await Outbox.EnqueueAsync([Flag("pat-a", "alert-1", earlier)]));
        var first = (await Outbox.GetPendingAsync(10, []))[0].Entry.Seq;
        if (outcome == FhirOutboxStatus.Sent)
        {
            await Outbox.MarkSentAsync(first, 201, 1, DateTimeOffset.UtcNow);
        }
        else if (outcome == FhirOutboxStatus.Failed)
        {
            await Outbox.MarkFailedAsync(first, 400, "{}", 1);
        }

        var count = await Outbox.EnqueueAsync([Flag("pat-a", "alert-1", "v1")]);

        Assert.True((count == 1) == appended, description);
        var all = await Outbox.ListAsync(null, 10);
        Assert.Equal(appended ? 2 : 1, all.Count);
    }

    [Fact]
    public async Task A_version_that_went_back_to_an_earlier_content_is_appended_so_the_server_ends_on_the_latest()
    {
        var appended = await Outbox.EnqueueAsync([Flag("pat-a", "alert-1", "active"), Flag("pat-a", "alert-1", "inactive"), Flag("pat-a", "alert-1", "active")]);

        Assert.Equal(3, appended);
        var pending = await Outbox.GetPendingAsync(10, []);
        Assert.Equal(["active", "inactive", "active"], pending.Select(p => p.Json).ToArray());
        Assert.True(pending.Select(p => p.Entry.Seq).SequenceEqual(pending.Select(p => p.Entry.Seq).Order()));
    }

    [Fact]
    public async Task Pending_entries_come_oldest_first_without_the_blocked_patients_and_leave_the_queue_when_sent_or_failed()
    {
        await Outbox.EnqueueAsync([Flag("pat-a", "a1", "x"), Flag("pat-b", "b1", "x"), Flag("pat-a", "a2", "x"), Flag("pat-c", "c1", "x")]);

        var withoutA = await Outbox.GetPendingAsync(10, ["pat-a"]);
        Assert.Equal(["Flag/b1", "Flag/c1"], withoutA.Select(p => $"{p.Entry.ResourceType}/{p.Entry.ResourceId}").ToArray());
        var all = await Outbox.GetPendingAsync(10, []);
        Assert.Equal(["a1", "b1", "a2", "c1"], all.Select(p => p.Entry.ResourceId).ToArray());

        await Outbox.RecordTransientFailureAsync(all[0].Entry.Seq, 503, "HTTP 503", attempts: 4);
        await Outbox.MarkSentAsync(all[1].Entry.Seq, 201, attempts: 1, DateTimeOffset.UtcNow);
        await Outbox.MarkFailedAsync(all[3].Entry.Seq, 400, """{"resourceType":"OperationOutcome"}""", attempts: 1);
        await Outbox.RecordTransientFailureAsync(all[0].Entry.Seq, null, "timeout", attempts: 2);

        Assert.Equal(["a1", "a2"], (await Outbox.GetPendingAsync(10, [])).Select(p => p.Entry.ResourceId).ToArray());
        Assert.Equal(new FhirOutboxCounts(Pending: 2, Sent: 1, Failed: 1), await Outbox.CountAsync());
        Assert.Equal(new FhirOutboxCounts(Pending: 2, Sent: 0, Failed: 0), await Outbox.CountAsync(["pat-a"]));
        var retried = (await Outbox.ListAsync(FhirOutboxStatus.Pending, 10))[0];
        Assert.Equal(("a1", 6, (int?)null, "timeout"), (retried.ResourceId, retried.Attempts, retried.LastStatusCode, retried.LastError));
        var failed = Assert.Single(await Outbox.ListAsync(FhirOutboxStatus.Failed, 10));
        Assert.Equal(("c1", 400, """{"resourceType":"OperationOutcome"}"""), (failed.ResourceId, failed.LastStatusCode!.Value, failed.LastError));
        Assert.Empty(await Outbox.ListAsync(FhirOutboxStatus.Sent, 10, ["pat-a", "pat-c"]));
        Assert.NotNull(Assert.Single(await Outbox.ListAsync(FhirOutboxStatus.Sent, 10, ["pat-b"])).SentAt);
    }

    [Fact]
    public async Task The_queue_outlives_the_process_object_that_wrote_it()
    {
        await Outbox.EnqueueAsync([Flag("pat-a", "a1", "x"), Flag("pat-a", "a2", "y")]);

        await using var otherProcess = await Engine.OpenAnotherAsync(Clock);
        var reopened = new FhirOutbox(otherProcess.GetRequiredService<IOutboxStore>());

        Assert.Equal(["x", "y"], (await reopened.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
        Assert.True(await reopened.ContainsAsync("urn:test:alert", "a2"));
        Assert.False(await reopened.ContainsAsync("urn:test:alert", "a3"));
    }

    /// <summary>The outbox stores JSON as given; short stand-ins keep the cases readable.</summary>
    private static FhirOutboxItem Flag(string patientId, string alertId, string content) =>
        new(patientId, "Flag", alertId, "urn:test:alert", alertId, content);
}

/// <summary>The outbox on a real SQLite file.</summary>
public sealed class OutboxStoreTests() : OutboxStoreConformance(new SqliteStoreEngine());

/// <summary>The outbox on a real PostgreSQL.</summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresOutboxStoreTests(PostgresStoreFixture fixture) : OutboxStoreConformance(new PostgresStoreEngine(fixture));
