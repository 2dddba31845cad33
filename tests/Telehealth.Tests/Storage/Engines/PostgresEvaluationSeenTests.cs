using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Migrations;
using Telehealth.TestSupport;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// The PostgreSQL queue records an item's identity once, when first queued, in <c>evaluation_seen</c> (migration 8),
/// and marking an item done only deletes it: a database at migration 7 keeps every pending item and every identity
/// already done; a redelivery racing the first delivery's commit, or the commit that marks it done, is queued once
/// however that transaction ends; two instances queueing the same readings at once queue each once.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresEvaluationSeenTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task Upgrading_from_migration_7_keeps_every_pending_item_and_every_done_identity_and_refuses_repeats_of_both()
    {
        var name = PostgresServer.NewDatabaseName("seen");
        await using var database = new PostgresDatabase(await fixture.Server.CreateDatabaseAsync(name));
        await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 7)]).MigrateAsync();
        await ExecuteAsync(database, """
            INSERT INTO evaluation_queue (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
                    enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms) OVERRIDING SYSTEM VALUE VALUES
                (6, 'pat-1', 'reading', 'dev-1', 'heart_rate', 88, 1000, 1001, 1002, 2, 9000, 'TimeoutException', NULL, NULL),
                (7, 'pat-1', 'reading', 'dev-1', 'spo2', 93, 3000, 3001, 3002, 0, 3002, NULL, NULL, NULL),
                (9, 'pat-2', 'status', 'dev-2', 'oximeter', 40, 2000, 2002, 2003, 0, 2003, NULL, NULL, 3600000);
            SELECT setval(pg_get_serial_sequence('evaluation_queue', 'seq'), 20);
            INSERT INTO evaluation_done (item_kind, device_id, name, device_time_ms, done_at_ms) VALUES
                ('reading', 'dev-1', 'spo2', 1000, 1500),
                ('event', 'dev-2', 'pendant_press', 2000, 2500);
            INSERT INTO evaluation_leases (patient_id, owner, lease_until_ms, claimed_through) VALUES ('pat-1', 'host:1:a', 4000, 6);
            """);
        var queueBefore = await RowsAsync(database, "SELECT * FROM evaluation_queue ORDER BY seq");
        var leasesBefore = await RowsAsync(database, "SELECT * FROM evaluation_leases");

        // Through 8: migration 9 is the outbox's (PostgresOutboxClaimPlanTests).
        var report = await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 8)]).MigrateAsync();

        Assert.Equal([8], report.Applied);
        Assert.Equal(3, queueBefore.Count);
        Assert.Equal(queueBefore, await RowsAsync(database, "SELECT * FROM evaluation_queue ORDER BY seq"));
        Assert.Equal(leasesBefore, await RowsAsync(database, "SELECT * FROM evaluation_leases"));
        Assert.Equal(
            [
                ["reading", "dev-1", "heart_rate", "1000", "1002"], ["reading", "dev-1", "spo2", "1000", "1500"],
                ["status", "dev-2", "oximeter", "2000", "2003"], ["event", "dev-2", "pendant_press", "2000", "2500"],
                ["reading", "dev-1", "spo2", "3000", "3002"],
            ],
            await RowsAsync(database, "SELECT * FROM evaluation_seen ORDER BY seen_at_ms"));
        Assert.Equal([["null"]], await RowsAsync(database, "SELECT to_regclass('evaluation_done')::text"));
        Assert.Equal([["PRIMARY KEY (device_time_ms, device_id, name, item_kind)"]],
            await RowsAsync(database, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'evaluation_seen'::regclass"));
        Assert.Equal(
            [
                ["evaluation_queue", "evaluation_queue_pkey"], ["evaluation_queue", "ix_evaluation_queue_backing_off"],
                ["evaluation_queue", "ix_evaluation_queue_pending"],
                ["evaluation_seen", "evaluation_seen_pkey"], ["evaluation_seen", "ix_evaluation_seen_at"],
            ],
            await RowsAsync(database, """
                SELECT tablename, indexname FROM pg_indexes WHERE tablename IN ('evaluation_queue', 'evaluation_seen')
                ORDER BY tablename, indexname
                """));

        // The queue on the upgraded tables (and the later migrations: 10 adds rows of readings) at 5 s: the done reading
        // and the pending one are refused, the new one queues as row 21; pat-1 backs off (item 6, due at 9 s) whole,
        // pat-2's status is claimed; at 9 s pat-1's items in order (an item's sequence is its row's, shifted).
        Assert.Equal(Enumerable.Range(9, PostgresMigrations.Latest - 8), (await new PostgresMigrator(database, TimeProvider.System).MigrateAsync()).Applied);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(5000));
        var queue = new PostgresEvaluationQueue(database, clock);
        var done = new Reading("dev-1", "pat-1", VitalKind.Spo2, 94, DateTimeOffset.FromUnixTimeMilliseconds(1000), Start);
        var pending = new Reading("dev-1", "pat-1", VitalKind.HeartRate, 88, DateTimeOffset.FromUnixTimeMilliseconds(1000), Start);
        var fresh = new Reading("dev-1", "pat-1", VitalKind.Spo2, 92, DateTimeOffset.FromUnixTimeMilliseconds(61_000), Start);
        await queue.EnqueueReadingsAsync([done, pending, fresh]);
        Assert.Equal([["21", "spo2", "61000", "5000"]], await RowsAsync(database, "SELECT seq, name, device_time_ms, enqueued_at_ms FROM evaluation_queue WHERE seq > 9"));
        Assert.Equal([Item(9)], (await queue.ClaimAsync(10, clock.GetUtcNow(), [])).Select(item => item.Sequence));
        var resumed = await queue.ClaimAsync(10, DateTimeOffset.FromUnixTimeMilliseconds(9000), ["pat-2"]);
        Assert.Equal([(Item(6), 2), (Item(7), 0), (Item(21), 0)], resumed.Select(item => (item.Sequence, item.Attempts)));
        Assert.Equal([fresh], resumed.Skip(2).Select(item => item.Reading));

        // Pruning forgets identities first seen before the cut whose items are no longer queued: the done reading
        // (1.5 s), then the done event (2.5 s); never the pending items' (1.0, 2.0, 3.0 and 5.0 s).
        Assert.Equal(1, await queue.PruneAsync(DateTimeOffset.FromUnixTimeMilliseconds(2000)));
        Assert.Equal(1, await queue.PruneAsync(DateTimeOffset.FromUnixTimeMilliseconds(2501)));
        Assert.Equal(0, await queue.PruneAsync(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000)));
        Assert.Equal((4, DateTimeOffset.FromUnixTimeMilliseconds(1002)), await queue.PendingAsync());
        await queue.EnqueueReadingsAsync([pending]);
        Assert.Equal((4, DateTimeOffset.FromUnixTimeMilliseconds(1002)), await queue.PendingAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_redelivery_racing_its_first_delivery_waits_for_that_transaction_and_is_queued_once_however_it_ends(bool commit)
    {
        var queue = Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        var reading = new Reading("dev-1", "pat-1", VitalKind.Spo2, 91, Start, Start);

        await using var first = await database.OpenAsync();
        await using var transaction = await first.BeginTransactionAsync();
        await PostgresEvaluationQueue.EnqueueAsync(first, transaction, [reading], Start, CancellationToken.None);
        var redelivery = queue.EnqueueReadingsAsync([reading]);
        await using (var watcher = await database.OpenAsync())
        {
            await WaitForRowLockWaiterAsync(watcher);
        }
        Assert.False(redelivery.IsCompleted);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
        await redelivery.WaitAsync(Patience);

        var item = Assert.Single(await queue.ClaimAsync(10, Start, []));
        Assert.Equal(reading, item.Reading);
        Assert.Equal([["1"]], await RowsAsync(database, "SELECT COUNT(*) FROM evaluation_seen"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_redelivery_while_the_commit_marking_it_done_is_open_is_refused_at_once_and_the_item_evaluated_once(bool commit)
    {
        var queue = Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        var reading = new Reading("dev-1", "pat-1", VitalKind.Spo2, 91, Start, Start);
        await queue.EnqueueReadingsAsync([reading]);
        var item = Assert.Single(await queue.ClaimAsync(10, Start, []));

        await using var marking = await database.OpenAsync();
        await using var transaction = await marking.BeginTransactionAsync();
        await PostgresEvaluationQueue.MarkDoneAsync(marking, transaction, [item.Sequence], ["pat-1"], Start, CancellationToken.None);
        await queue.EnqueueReadingsAsync([reading]).WaitAsync(Patience);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        // Committed: nothing left to evaluate. Rolled back: the one item is due again (its lease ran out at 2 minutes).
        var again = await queue.ClaimAsync(10, Start + PostgresEvaluationQueue.DefaultLeaseDuration, []);
        Assert.Equal(commit ? Array.Empty<long>() : [item.Sequence], again.Select(i => i.Sequence));
        Assert.Equal([[commit ? "0" : "1"]], await RowsAsync(database, "SELECT COUNT(*) FROM evaluation_queue"));
        Assert.Equal([["1"]], await RowsAsync(database, "SELECT COUNT(*) FROM evaluation_seen"));
    }

    [Fact]
    public async Task Two_instances_queueing_the_same_readings_at_once_in_opposite_orders_queue_each_once()
    {
        var database = Get<PostgresDatabase>();
        var one = new PostgresEvaluationQueue(database, _clock);
        var two = new PostgresEvaluationQueue(database, _clock);
        for (var round = 0; round < 10; round++)
        {
            var readings = Enumerable.Range(0, 300)
                .Select(i => new Reading($"dev-{i % 7}", $"pat-{i % 7}", VitalKind.HeartRate, 60 + i, Start.AddSeconds(round * 1000 + i), Start))
                .ToArray();
            // Overlapping batches, one in reverse: both insert the shared identities, each waiting on the other's.
            await Task.WhenAll(
                Task.Run(() => one.EnqueueReadingsAsync(readings[..200])),
                Task.Run(() => two.EnqueueReadingsAsync([.. readings[100..].Reverse()])));
        }

        Assert.Equal([["3000", "3000", "3000"]], await RowsAsync(database, """
            SELECT (SELECT SUM(cardinality(reading_names)) FROM evaluation_queue),
                   (SELECT COUNT(DISTINCT (r.device_id, r.device_time_ms))
                    FROM evaluation_queue q, unnest(q.reading_devices, q.reading_times) AS r(device_id, device_time_ms)),
                   (SELECT COUNT(*) FROM evaluation_seen)
            """));
    }

    private static long Item(long row) => PostgresEvaluationQueue.ItemSequence(row, 0);

    /// <summary>Returns once a statement in this database waits for another transaction to end (PostgreSQL's lock table, no guessing).</summary>
    private static async Task WaitForRowLockWaiterAsync(NpgsqlConnection connection)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted", connection);
            if ((long)(await command.ExecuteScalarAsync(timeout.Token))! > 0)
            {
                return;
            }
            await Task.Delay(20, timeout.Token); // polling a condition, bounded by the timeout
        }
    }

    private static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Each row as text, column by column (NULL as "null"), so rows compare by value.</summary>
    private static async Task<List<List<string>>> RowsAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<List<string>>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!)]);
        }
        return rows;
    }
}
