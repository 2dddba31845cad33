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
/// The PostgreSQL care record admits an ingest batch before it is written to InfluxDB (PostgresReadingAdmission): it
/// says which readings no acknowledged delivery ever brought (first seen here, at or after the horizon up to which
/// pruning kept every identity), queues on commit what the store kept and forgets what it refused; a racing
/// admission of the same identity waits for the first to end; pruning keeps identities from its cut on and raises the
/// horizon to it; a database upgraded with data vouches only from its upgrade.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
[Trait("Hazard", "H1")]
public sealed class PostgresReadingAdmissionTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task A_batch_is_vouched_for_reading_by_reading_and_its_commit_queues_what_the_store_kept_and_forgets_what_it_refused()
    {
        var queue = Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        var earlier = Spo2("dev-1", "pat-1", 94, Start.AddMinutes(-10));
        await queue.EnqueueReadingsAsync([earlier]);
        var first = Spo2("dev-1", "pat-1", 91, Start.AddMinutes(-1));
        var other = Spo2("dev-2", "pat-2", 97, Start.AddMinutes(-1));
        var refused = Spo2("dev-1", "pat-1", 150, Start.AddMinutes(-3));
        var conflicting = Spo2("dev-1", "pat-1", 88, Start.AddMinutes(-2));
        var sameAsFirst = Spo2("dev-1", "pat-1", 91, Start.AddMinutes(-1));
        var later = Spo2("dev-1", "pat-1", 90, Start.AddSeconds(-30));
        IReadOnlyList<Reading> batch = [first, other, sameAsFirst, refused, earlier, conflicting, later];

        await using (var admission = await ((IReadingAdmissions)queue).AdmitAsync(batch))
        {
            // The repeat within the batch and the identity queued before are not first deliveries; the rest are.
            Assert.Equal([true, true, false, true, false, true, true], batch.Select((_, i) => admission.NeverAcknowledged(i)));
            Assert.Equal(0, ((PostgresReadingAdmission)admission).KeptFromMs);
            // Uncommitted: another session sees nothing of it.
            Assert.Equal([["1", "1"]], await RowsAsync(database, "SELECT (SELECT COUNT(*) FROM evaluation_seen), (SELECT COUNT(*) FROM evaluation_queue)"));
            await admission.CommitAsync(new ReadingAppendResult([first, other, later], [conflicting], [new RefusedReading(refused, "points beyond retention policy dropped=1")]));
        }

        // pat-1's readings in arrival order in one row, then pat-2's; the refused and the conflicting are not queued
        // and their identities are forgotten, so a later delivery of them is judged afresh.
        var claimed = await queue.ClaimAsync(10, Start, []);
        Assert.Equal([earlier, first, later, other], claimed.Select(item => item.Reading));
        Assert.Equal(
            [
                ["dev-1", Ms(Start.AddMinutes(-10))], ["dev-1", Ms(Start.AddMinutes(-1))], ["dev-2", Ms(Start.AddMinutes(-1))],
                ["dev-1", Ms(Start.AddSeconds(-30))],
            ],
            await RowsAsync(database, "SELECT device_id, device_time_ms FROM evaluation_seen ORDER BY device_time_ms, device_id"));
        await using var again = await ((IReadingAdmissions)queue).AdmitAsync([refused, conflicting, first]);
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(again.NeverAcknowledged));
    }

    [Fact]
    public async Task A_batch_of_first_deliveries_repeating_readings_within_itself_takes_each_identity_once_for_its_first_occurrence()
    {
        var queue = Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        // Out of key order, a repeat of the first, and two devices whose ids differ only in case (distinct identities).
        var later = Spo2("dev-1", "pat-1", 90, Start.AddMinutes(-1));
        var earlier = Spo2("dev-1", "pat-1", 91, Start.AddMinutes(-2));
        var upper = Spo2("DEV-1", "pat-2", 97, Start.AddMinutes(-2));
        var repeat = Spo2("dev-1", "pat-1", 89, Start.AddMinutes(-1)); // same identity as `later`, another value
        IReadOnlyList<Reading> batch = [later, earlier, repeat, upper];

        await using (var admission = await ((IReadingAdmissions)queue).AdmitAsync(batch))
        {
            Assert.Equal([true, true, false, true], batch.Select((_, i) => admission.NeverAcknowledged(i)));
            Assert.Equal(3, ((PostgresReadingAdmission)admission).TakenCount);
            await admission.CommitAsync(new ReadingAppendResult([later, earlier, upper], []));
        }

        // pat-1's in arrival order (the repeat is not queued), then pat-2's; three identities, each once.
        Assert.Equal([later, earlier, upper], (await queue.ClaimAsync(10, Start, [])).Select(item => item.Reading));
        Assert.Equal(
            [["DEV-1", Ms(Start.AddMinutes(-2))], ["dev-1", Ms(Start.AddMinutes(-2))], ["dev-1", Ms(Start.AddMinutes(-1))]],
            await RowsAsync(database, "SELECT device_id, device_time_ms FROM evaluation_seen ORDER BY device_time_ms, device_id COLLATE \"C\""));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_second_admission_of_an_identity_waits_for_the_first_and_is_first_itself_only_if_that_one_never_commits(bool commit)
    {
        var admissions = (IReadingAdmissions)Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        var reading = Spo2("dev-1", "pat-1", 91, Start.AddMinutes(-1));

        var first = await admissions.AdmitAsync([reading]);
        var second = Task.Run(() => admissions.AdmitAsync([reading]));
        await using (var watcher = await database.OpenAsync())
        {
            await WaitForRowLockWaiterAsync(watcher);
        }
        Assert.False(second.IsCompleted);
        if (commit)
        {
            await first.CommitAsync(new ReadingAppendResult([reading], []));
        }
        await first.DisposeAsync();

        await using var redelivery = await second.WaitAsync(Patience);
        Assert.Equal(!commit, redelivery.NeverAcknowledged(0));
        await redelivery.CommitAsync(new ReadingAppendResult(commit ? [] : [reading], []));
        var item = Assert.Single(await Get<IEvaluationQueue>().ClaimAsync(10, Start, []));
        Assert.Equal(reading, item.Reading);
        Assert.Equal([["1"]], await RowsAsync(database, "SELECT COUNT(*) FROM evaluation_seen"));
    }

    [Fact]
    public async Task Pruning_keeps_every_identity_from_its_cut_on_and_raises_the_horizon_so_older_first_deliveries_are_not_vouched_for()
    {
        var queue = (PostgresEvaluationQueue)Get<IEvaluationQueue>();
        var database = Get<PostgresDatabase>();
        var old = Spo2("dev-1", "pat-1", 95, Start.AddHours(-2));
        var ahead = Spo2("dev-2", "pat-2", 96, Start.AddMinutes(1)); // a device clock a minute fast
        await queue.EnqueueReadingsAsync([old, ahead]);
        var items = await queue.ClaimAsync(10, Start, []);
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresEvaluationQueue.MarkDoneAsync(connection, transaction, [.. items.Select(i => i.Sequence)], ["pat-1", "pat-2"], Start, CancellationToken.None);
            await transaction.CommitAsync();
        }

        // Both were first seen at 09:00, before the cut at 09:00:30; only the one measured before the cut goes.
        var cut = Start.AddSeconds(30);
        Assert.Equal(1, await queue.PruneAsync(cut));
        Assert.Equal([[Ms(Start.AddMinutes(1))]], await RowsAsync(database, "SELECT device_time_ms FROM evaluation_seen"));
        Assert.Equal([[Ms(cut)]], await RowsAsync(database, "SELECT kept_from_ms FROM evaluation_seen_horizon"));
        Assert.Equal(0, await queue.PruneAsync(Start));
        Assert.Equal([[Ms(cut)]], await RowsAsync(database, "SELECT kept_from_ms FROM evaluation_seen_horizon"));

        // The pruned identity and a new one measured before the cut are first seen here, but the care record cannot
        // say no acknowledged delivery brought them: the store is asked. From the cut on it can.
        var beforeCut = Spo2("dev-1", "pat-1", 93, Start.AddSeconds(10));
        var atCut = Spo2("dev-1", "pat-1", 92, cut);
        await using var admission = await queue.AdmitAsync([old, beforeCut, atCut, ahead]);
        Assert.Equal([false, false, true, false], Enumerable.Range(0, 4).Select(admission.NeverAcknowledged));
        Assert.Equal(3, ((PostgresReadingAdmission)admission).TakenCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Migration_11_vouches_from_the_upgrade_for_a_database_with_identities_and_from_the_beginning_for_an_empty_one(bool withData)
    {
        await using var database = new PostgresDatabase(await fixture.Server.CreateDatabaseAsync(PostgresServer.NewDatabaseName("horizon")));
        await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 10)]).MigrateAsync();
        if (withData)
        {
            await using var connection = await database.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms) VALUES ('reading', 'dev-1', 'spo2', 1000, 1000)", connection);
            await insert.ExecuteNonQueryAsync();
        }
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var report = await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 11)]).MigrateAsync();

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal([11], report.Applied);
        var keptFrom = long.Parse((await RowsAsync(database, "SELECT kept_from_ms FROM evaluation_seen_horizon"))[0][0], CultureInfo.InvariantCulture);
        if (withData)
        {
            Assert.InRange(keptFrom, before, after);
        }
        else
        {
            Assert.Equal(0, keptFrom);
        }
        // One row, ever.
        await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await database.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO evaluation_seen_horizon (kept_from_ms) VALUES (5)", connection);
            await insert.ExecuteNonQueryAsync();
        });
    }

    private static Reading Spo2(string deviceId, string patientId, double value, DateTimeOffset at) =>
        new(deviceId, patientId, VitalKind.Spo2, value, at, Start);

    private static string Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

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
