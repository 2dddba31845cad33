using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Outbox;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Xunit.Abstractions;

using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// Several platform instances on one PostgreSQL care record, measured with exact counts: two consumers of the
/// evaluation queue (each its own data source, connections and lease owner) evaluate each person's items once and in
/// queue order; two outbox pushers send each row once and each person's rows in order. SQLite has no such tests: it
/// is the embedded engine of one instance.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresCrossInstanceTests(PostgresStoreFixture fixture, ITestOutputHelper output) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly FakeTimeProvider _clock = new(Start);

    /// <summary>Items are due from <see cref="Start"/>; claims pass their own "now".</summary>
    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task A_person_claimed_by_one_instance_is_not_claimed_by_another_until_done_or_the_lease_runs_out()
    {
        var queueA = Get<IEvaluationQueue>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var queueB = other.GetRequiredService<IEvaluationQueue>();
        // pat-a's readings arrive in three batches (three queue rows), pat-b's in one.
        foreach (var reading in Readings("pat-a", 3))
        {
            await queueA.EnqueueReadingsAsync([reading]);
        }
        await queueA.EnqueueReadingsAsync(Readings("pat-b", 2));

        var claimedByA = await queueA.ClaimAsync(2, Start, []);
        var claimedByB = await queueB.ClaimAsync(100, Start, []);

        Assert.Equal(["pat-a", "pat-a"], claimedByA.Select(item => item.PatientId));
        Assert.Equal(["pat-b", "pat-b"], claimedByB.Select(item => item.PatientId)); // pat-a's third item waits for A
        // Asked again (as after a failed pass), B gets its own items again and still none of pat-a's.
        Assert.Equal(claimedByB.Select(item => item.Sequence), (await queueB.ClaimAsync(100, Start.AddSeconds(1), [])).Select(item => item.Sequence));
        // A finishes what it claimed: its lease ends with the commit, and B may take pat-a's next item.
        await Get<IAlertStore>().CommitAsync(new AlertCommit("pat-a", [], [.. claimedByA.Select(item => item.Sequence)]));
        var next = (await queueB.ClaimAsync(100, Start.AddSeconds(2), [])).Single(item => item.PatientId == "pat-a");
        Assert.Equal(PostgresEvaluationQueue.ItemSequence(PostgresEvaluationQueue.RowOf(claimedByA[1].Sequence) + 1, 0), next.Sequence);
        // B dies holding pat-a: A takes over only after B's lease has run out.
        Assert.Empty(await queueA.ClaimAsync(100, Start.AddSeconds(3), []));
        var takenOver = await queueA.ClaimAsync(100, Start.AddSeconds(2) + PostgresEvaluationQueue.DefaultLeaseDuration, []);
        Assert.Equal([next.Sequence, claimedByB[0].Sequence, claimedByB[1].Sequence], takenOver.Select(item => item.Sequence).Order());
    }

    /// <summary>
    /// One batch's readings of a person share a queue row (migration 0010) and are claimed whole, in their order, each
    /// its own item: a claim stops at the first row that begins past its size, and a row is done or deferred whole.
    /// </summary>
    [Fact]
    public async Task A_persons_readings_from_one_batch_are_claimed_whole_and_a_claim_stops_at_the_first_batch_past_its_size()
    {
        var queue = Get<IEvaluationQueue>();
        await queue.EnqueueReadingsAsync([.. Readings("pat-a", 3), .. Readings("pat-b", 2)]);
        await queue.EnqueueReadingsAsync([.. Readings("pat-a", 5)[3..]]);

        var first = await queue.ClaimAsync(1, Start, []);
        Assert.Equal([("pat-a", 60.0), ("pat-a", 61.0), ("pat-a", 62.0)], first.Select(item => (item.PatientId, item.Reading!.Value)));
        Assert.Equal([0L, 1L, 2L], first.Select(item => item.Sequence - first[0].Sequence));
        Assert.Equal((7, Start), await queue.PendingAsync());

        // pat-a is held by the first claim's pass (skipped); pat-b's row begins before 2 items, so it comes whole.
        var second = await queue.ClaimAsync(2, Start, ["pat-a"]);
        Assert.Equal([("pat-b", 60.0), ("pat-b", 61.0)], second.Select(item => (item.PatientId, item.Reading!.Value)));
        // Deferring one item of a row defers the row: both of pat-b's items are due again at 10 s, with one attempt.
        await queue.DeferAsync([second[1].Sequence], "TimeoutException", Start.AddSeconds(10));
        await Get<IAlertStore>().CommitAsync(new AlertCommit("pat-a", [], [first[0].Sequence]));

        var third = await queue.ClaimAsync(100, Start.AddSeconds(10), []);
        Assert.Equal([("pat-b", 60.0, 1), ("pat-b", 61.0, 1), ("pat-a", 63.0, 0), ("pat-a", 64.0, 0)],
            third.Select(item => (item.PatientId, item.Reading!.Value, item.Attempts)));
        Assert.Equal(second.Select(item => item.Sequence), third.Take(2).Select(item => item.Sequence));
        Assert.Equal((4, Start), await queue.PendingAsync());
    }

    [Fact]
    public async Task From_16_people_waiting_a_claim_takes_the_longest_waiting_half_and_leaves_the_rest_to_another_instance()
    {
        var queueA = Get<IEvaluationQueue>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var queueB = other.GetRequiredService<IEvaluationQueue>();
        // 20 people, two readings each, queued person by person: pat-00 has waited longest.
        var people = Enumerable.Range(0, 20).Select(i => $"pat-{i:00}").ToList();
        foreach (var person in people)
        {
            await queueA.EnqueueReadingsAsync(Readings(person, 2));
        }

        var claimedByA = await queueA.ClaimAsync(1_000, Start, []);
        var claimedByB = await queueB.ClaimAsync(1_000, Start, []);
        var claimedLater = await queueA.ClaimAsync(1_000, Start, []);

        Assert.Equal(people.Take(10).SelectMany(person => new[] { person, person }), claimedByA.Select(item => item.PatientId));
        // B finds 10 people free (below the threshold): it takes them all.
        Assert.Equal(people.Skip(10).SelectMany(person => new[] { person, person }), claimedByB.Select(item => item.PatientId));
        // A asked again before committing gets its own 10 people again, none of B's.
        Assert.Equal(claimedByA.Select(item => item.Sequence), claimedLater.Select(item => item.Sequence));
    }

    [Fact]
    public async Task Two_instances_consuming_one_queue_evaluate_each_persons_500_items_once_and_in_order()
    {
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var consumers = new[]
        {
            (Name: "A", Queue: Get<IEvaluationQueue>(), Alerts: Get<IAlertStore>()),
            (Name: "B", Queue: other.GetRequiredService<IEvaluationQueue>(), Alerts: other.GetRequiredService<IAlertStore>()),
        };
        foreach (var patient in new[] { "pat-a", "pat-b" })
        {
            var readings = Readings(patient, 500);
            for (var i = 0; i < readings.Count; i += 100)
            {
                await consumers[0].Queue.EnqueueReadingsAsync(readings.Skip(i).Take(100).ToList());
            }
        }
        var evaluated = new List<(string Consumer, string Patient, long Sequence)>();
        // Both make their first claim before either evaluates, so both take part whatever the scheduling.
        using var firstClaims = new Barrier(2);

        async Task ConsumeAsync(string name, IEvaluationQueue queue, IAlertStore alerts)
        {
            var first = true;
            while (true)
            {
                var due = await queue.ClaimAsync(7, DateTimeOffset.UtcNow, []);
                if (first)
                {
                    first = false;
                    await Task.Run(() => firstClaims.SignalAndWait(Patience));
                }
                if (due.Count == 0)
                {
                    if ((await queue.PendingAsync()).Count == 0)
                    {
                        return;
                    }
                    await Task.Delay(5); // the other instance holds what is left: look again soon
                    continue;
                }
                foreach (var patient in due.GroupBy(item => item.PatientId))
                {
                    lock (evaluated)
                    {
                        evaluated.AddRange(patient.Select(item => (name, patient.Key, item.Sequence)));
                    }
                    await Task.Yield();
                    await alerts.CommitAsync(new AlertCommit(patient.Key, [], [.. patient.Select(item => item.Sequence)]));
                }
            }
        }

        await Task.WhenAll(consumers.Select(c => Task.Run(() => ConsumeAsync(c.Name, c.Queue, c.Alerts)))).WaitAsync(Patience);

        Assert.Equal(1000, evaluated.Count);
        Assert.Equal(1000, evaluated.Select(e => e.Sequence).Distinct().Count());
        foreach (var patient in new[] { "pat-a", "pat-b" })
        {
            var order = evaluated.Where(e => e.Patient == patient).Select(e => e.Sequence).ToList();
            Assert.Equal(500, order.Count);
            Assert.Equal(order.Order(), order); // strictly in queue order, across both instances
        }
        var byConsumer = evaluated.GroupBy(e => e.Consumer).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["A", "B"], byConsumer.Keys.Order());
        output.WriteLine($"evaluated by A: {byConsumer["A"]}, by B: {byConsumer["B"]}; hand-overs of a person between instances: " +
            $"{evaluated.GroupBy(e => e.Patient).Sum(g => g.Zip(g.Skip(1)).Count(pair => pair.First.Consumer != pair.Second.Consumer))}");
        Assert.Equal((0, null), await consumers[1].Queue.PendingAsync());
    }

    [Fact]
    public async Task Two_instances_pushing_one_outbox_send_each_of_1000_rows_once_and_each_persons_rows_in_order()
    {
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var pushers = new[] { (Name: "A", Store: Get<IOutboxStore>()), (Name: "B", Store: other.GetRequiredService<IOutboxStore>()) };
        // Ten people, 100 rows each, one person after another (so a first claim of 25 holds one person only).
        var messages = Enumerable.Range(0, 1000)
            .Select(i => new OutboxMessage($"pat-{i / 100}", $"urn:test|{i}", null, "{}", $"{{\"n\":{i}}}"))
            .ToList();
        Assert.Equal(1000, await pushers[0].Store.EnqueueAsync("fhir", messages, OutboxDedupe.OncePerKey));
        var sent = new List<(string Pusher, string Subject, long Seq)>();
        using var firstClaims = new Barrier(2);

        async Task PushAsync(string name, IOutboxStore store)
        {
            var first = true;
            while (true)
            {
                var rows = await store.PendingAsync("fhir", 25);
                if (first)
                {
                    first = false;
                    await Task.Run(() => firstClaims.SignalAndWait(Patience));
                }
                if (rows.Count == 0)
                {
                    if ((await store.CountAsync("fhir")).Pending == 0)
                    {
                        return;
                    }
                    await Task.Delay(5);
                    continue;
                }
                foreach (var row in rows)
                {
                    lock (sent)
                    {
                        sent.Add((name, row.Subject, row.Seq));
                    }
                    await store.RecordPassAsync(row.Seq, OutboxStatus.Sent, 1, 201, null, null, DateTimeOffset.UtcNow);
                }
            }
        }

        await Task.WhenAll(pushers.Select(p => Task.Run(() => PushAsync(p.Name, p.Store)))).WaitAsync(Patience);

        Assert.Equal(1000, sent.Count);
        Assert.Equal(1000, sent.Select(s => s.Seq).Distinct().Count());
        foreach (var subject in sent.GroupBy(s => s.Subject))
        {
            Assert.Equal(100, subject.Count());
            Assert.Equal(subject.Select(s => s.Seq).Order(), subject.Select(s => s.Seq));
        }
        var byPusher = sent.GroupBy(s => s.Pusher).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["A", "B"], byPusher.Keys.Order());
        output.WriteLine($"sent by A: {byPusher["A"]}, by B: {byPusher["B"]}");
        Assert.Equal(new OutboxCounts(0, 1000, 0), await pushers[1].Store.CountAsync("fhir"));
    }

    private static List<Reading> Readings(string patientId, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Reading("dev-" + patientId, patientId, VitalKind.HeartRate, 60 + (i % 40), Start.AddSeconds(i), Start.AddSeconds(i)))];
}
