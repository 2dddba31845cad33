using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telehealth.Contracts.Outbox;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Outbox;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// The outbox's append locks on PostgreSQL (<see cref="PostgresLocks.OutboxSubject"/>, <see cref="PostgresLocks.OutboxKey"/>):
/// appends for different people do not wait for each other; appends for one person do, so with two instances appending
/// and a pusher claiming at once, each person's rows are still sent once and in order; a once-per-key message appended
/// by two instances for two subjects at once goes in once.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresOutboxLockTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private string ConnectionString => ((PostgresStoreEngine)Engine).ConnectionString;

    [Fact]
    public async Task An_append_for_one_person_does_not_wait_for_another_persons_append_and_one_for_the_same_person_does()
    {
        var outbox = Get<IOutboxStore>();
        // Another instance is appending pat-a's messages (it holds pat-a's lock).
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        await PostgresLocks.TakeAsync(holder, held, PostgresLocks.OutboxSubject("fhir", "pat-a"), CancellationToken.None);

        Assert.Equal(2, await outbox.EnqueueAsync("fhir", [Message("pat-b", 1), Message("pat-b", 2)], OutboxDedupe.UnlessNewestIsSame).WaitAsync(Patience));

        var samePerson = outbox.EnqueueAsync("fhir", [Message("pat-b", 3), Message("pat-a", 4)], OutboxDedupe.UnlessNewestIsSame);
        await PostgresLockWaiters.WaitForAsync(holder, 1, Patience);
        Assert.False(samePerson.IsCompleted);
        Assert.Equal(new OutboxCounts(2, 0, 0), await outbox.CountAsync("fhir"));
        await held.RollbackAsync();

        Assert.Equal(2, await samePerson.WaitAsync(Patience));
        Assert.Equal(["urn:test|1", "urn:test|2", "urn:test|3", "urn:test|4"],
            (await outbox.ListAsync("fhir", OutboxStatus.Pending, 10, null, newestFirst: false)).Select(row => row.Key));
    }

    [Fact]
    public async Task An_append_for_more_than_64_people_takes_the_kinds_lock_alone_so_it_waits_for_smaller_appends_and_they_for_it()
    {
        var outbox = Get<IOutboxStore>();
        var many = Enumerable.Range(0, PostgresOutbox.MaxLocksPerAppend + 1).Select(i => Message($"pat-{i:000}", 1_000 + i)).ToList();
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();

        // A small append is in progress elsewhere (the kind's lock shared, its people's locks): another small one goes
        // ahead, the large one waits.
        await using (var held = await holder.BeginTransactionAsync())
        {
            await TakeKindLockAsync(holder, held, shared: true);
            Assert.Equal(2, await outbox.EnqueueAsync("fhir", [Message("pat-a", 1), Message("pat-b", 2)], OutboxDedupe.UnlessNewestIsSame).WaitAsync(Patience));
            var large = outbox.EnqueueAsync("fhir", many, OutboxDedupe.UnlessNewestIsSame);
            await PostgresLockWaiters.WaitForAsync(holder, 1, Patience);
            Assert.False(large.IsCompleted);
            await held.RollbackAsync();
            Assert.Equal(65, await large.WaitAsync(Patience));
        }

        // A large append is in progress elsewhere (the kind's lock exclusive): a small one waits for it.
        await using (var held = await holder.BeginTransactionAsync())
        {
            await TakeKindLockAsync(holder, held, shared: false);
            var small = outbox.EnqueueAsync("fhir", [Message("pat-c", 3)], OutboxDedupe.UnlessNewestIsSame);
            await PostgresLockWaiters.WaitForAsync(holder, 1, Patience);
            Assert.False(small.IsCompleted);
            await held.RollbackAsync();
            Assert.Equal(1, await small.WaitAsync(Patience));
        }
        Assert.Equal(new OutboxCounts(68, 0, 0), await outbox.CountAsync("fhir"));
    }

    [Fact]
    public async Task Two_instances_appending_for_the_same_four_people_while_one_pushes_send_each_of_800_rows_once_and_each_persons_in_order()
    {
        await using var other = await Engine.OpenAnotherAsync(TimeProvider.System);
        var appenders = new[] { Get<IOutboxStore>(), other.GetRequiredService<IOutboxStore>() };
        var pusher = Get<IOutboxStore>();
        var people = new[] { "pat-a", "pat-b", "pat-c", "pat-d" };
        var appendersDone = 0;
        var sent = new List<(string Subject, long Seq)>();

        // Each instance appends 100 batches of one message per person (2 × 100 × 4 = 800 distinct keys).
        async Task AppendAsync(int instance)
        {
            for (var batch = 0; batch < 100; batch++)
            {
                var messages = people.Select(person => Message(person, (instance * 100_000) + (batch * 10) + Array.IndexOf(people, person))).ToList();
                Assert.Equal(4, await appenders[instance].EnqueueAsync("fhir", messages, OutboxDedupe.UnlessNewestIsSame));
            }
            Interlocked.Increment(ref appendersDone);
        }

        // The pusher claims what is committed, as the FHIR worker does, while both append.
        async Task PushAsync()
        {
            while (true)
            {
                var finished = Volatile.Read(ref appendersDone) == 2;
                var rows = await pusher.PendingAsync("fhir", 9);
                foreach (var row in rows)
                {
                    sent.Add((row.Subject, row.Seq));
                    await pusher.RecordPassAsync(row.Seq, OutboxStatus.Sent, 1, 201, null, null, DateTimeOffset.UtcNow);
                }
                if (rows.Count == 0 && finished)
                {
                    return;
                }
            }
        }

        var pushing = Task.Run(PushAsync);
        await Task.WhenAll(Task.Run(() => AppendAsync(0)), Task.Run(() => AppendAsync(1))).WaitAsync(Patience);
        await pushing.WaitAsync(Patience);

        Assert.Equal(800, sent.Count);
        Assert.Equal(800, sent.Select(s => s.Seq).Distinct().Count());
        foreach (var person in people)
        {
            var order = sent.Where(s => s.Subject == person).Select(s => s.Seq).ToList();
            Assert.Equal(200, order.Count);
            Assert.Equal(order.Order(), order); // sent in sequence order: no row overtook an earlier, uncommitted one
        }
        Assert.Equal(new OutboxCounts(0, 800, 0), await pusher.CountAsync("fhir"));
    }

    [Fact]
    public async Task Two_instances_appending_the_same_200_once_per_key_messages_for_two_subjects_at_once_append_each_key_once()
    {
        await using var other = await Engine.OpenAnotherAsync(TimeProvider.System);
        var appenders = new[] { Get<IOutboxStore>(), other.GetRequiredService<IOutboxStore>() };
        var appended = new int[2];

        // The same keys in the same order, one instance for pat-a and the other for pat-b, ten keys per append.
        async Task AppendAsync(int instance)
        {
            for (var batch = 0; batch < 20; batch++)
            {
                var messages = Enumerable.Range(batch * 10, 10).Select(n => Message(instance == 0 ? "pat-a" : "pat-b", n)).ToList();
                appended[instance] += await appenders[instance].EnqueueAsync("notification", messages, OutboxDedupe.OncePerKey);
            }
        }

        await Task.WhenAll(Task.Run(() => AppendAsync(0)), Task.Run(() => AppendAsync(1))).WaitAsync(Patience);

        var rows = await Get<IOutboxStore>().ListAsync("notification", null, 1_000, null, newestFirst: false);
        Assert.Equal(200, appended[0] + appended[1]);
        Assert.Equal(200, rows.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(n => $"urn:test|{n}").Order(), rows.Select(row => row.Key).Order());
    }

    private static async Task TakeKindLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool shared)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock{(shared ? "_shared" : "")}(hashtextextended(@key, 0))", connection, transaction);
        command.Parameters.AddWithValue("key", PostgresLocks.OutboxKind("fhir"));
        await command.ExecuteNonQueryAsync();
    }

    private static OutboxMessage Message(string subject, int n) => new(subject, $"urn:test|{n}", null, "{}", $"{{\"n\":{n}}}");
}
