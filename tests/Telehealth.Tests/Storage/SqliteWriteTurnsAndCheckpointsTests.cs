using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Contracts.Outbox;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Storage;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Storage.Sqlite.Outbox;

namespace Telehealth.Tests.Storage;

/// <summary>
/// The embedded database's two measures for the acceptance path (real SQLite files): bulk writers take turns in
/// arrival order instead of polling for SQLite's lock, and with background checkpoints no commit copies the WAL back.
/// </summary>
public sealed class SqliteWriteTurnsAndCheckpointsTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-wal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Write_turns_are_handed_over_in_arrival_order_and_a_turn_is_released_once()
    {
        var database = await MigratedAsync(checkpointsInBackground: false);
        var first = await database.WaitForWriteTurnAsync();
        var second = database.WaitForWriteTurnAsync().AsTask();
        var third = database.WaitForWriteTurnAsync().AsTask();
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        first.Dispose();
        var secondTurn = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(third.IsCompleted);
        first.Dispose(); // a second dispose of the same turn must not let the third writer in beside the second
        Assert.False(third.IsCompleted);

        secondTurn.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        using var again = await database.WaitForWriteTurnAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Deferrable writers (a pass's quiet group, the followers, the WAL's restart) wait behind urgent ones that came
    /// later, each class in arrival order, until one has waited the bound: then it goes next (fake clock).
    /// </summary>
    [Fact]
    public async Task Urgent_writers_go_before_deferrable_ones_until_a_deferrable_one_has_waited_the_bound()
    {
        var time = new FakeTimeProvider(At);
        var database = new SqliteDatabase(Path.Combine(_folder, "turns.db"), checkpointsInBackground: false, time);
        var held = await database.WaitForWriteTurnAsync();
        Task<IDisposable> deferrableA, deferrableB;
        using (WriteUrgency.Defer())
        {
            deferrableA = database.WaitForWriteTurnAsync().AsTask();
            deferrableB = database.WaitForWriteTurnAsync().AsTask();
        }
        var urgentA = database.WaitForWriteTurnAsync().AsTask();
        var urgentB = database.WaitForWriteTurnAsync().AsTask();
        Assert.Equal((2, 2), database.WriteTurns.Waiting);

        held.Dispose();
        var turn = await urgentA.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(deferrableA.IsCompleted);
        turn.Dispose();
        turn = await urgentB.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(deferrableA.IsCompleted);
        var urgentC = database.WaitForWriteTurnAsync().AsTask();

        // The oldest deferrable writer has now waited the bound: it goes before the urgent one waiting.
        time.Advance(SqliteDatabase.DeferredTurnBound);
        turn.Dispose();
        turn = await deferrableA.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(urgentC.IsCompleted);
        Assert.Equal((1, 1), database.WriteTurns.Waiting);
        turn.Dispose();
        turn = await deferrableB.WaitAsync(TimeSpan.FromSeconds(10)); // it waited the bound too
        Assert.False(urgentC.IsCompleted);
        turn.Dispose();
        (await urgentC.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal((0, 0), database.WriteTurns.Waiting);
        using var free = await database.WaitForWriteTurnAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_the_line_and_the_turn_goes_to_the_next()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "turns.db"), checkpointsInBackground: false, new FakeTimeProvider(At));
        var held = await database.WaitForWriteTurnAsync();
        using var giveUp = new CancellationTokenSource();
        var leaving = database.WaitForWriteTurnAsync(giveUp.Token).AsTask();
        var staying = database.WaitForWriteTurnAsync().AsTask();

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((1, 0), database.WriteTurns.Waiting);
        held.Dispose();
        (await staying.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal((0, 0), database.WriteTurns.Waiting);
        using var free = await database.WaitForWriteTurnAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The small writers on the way to an alert or beside it wait in the turn's line instead of polling for SQLite's
    /// lock: a NEWS2 assessment, a follower's saved place, a device heartbeat. Each is seen waiting, then written.
    /// </summary>
    [Fact]
    public async Task A_news2_assessment_a_followers_place_and_a_heartbeat_wait_in_the_turns_line_then_are_written()
    {
        var database = await MigratedAsync(checkpointsInBackground: false);
        var assessment = Telehealth.Tests.Fhir.FhirSamples.Assessment(
            new Reading("dev-1", "pat-1", VitalKind.Spo2, 91, At, At), new Reading("dev-1", "pat-1", VitalKind.HeartRate, 112, At, At));
        var held = await database.WaitForWriteTurnAsync();

        var news2 = Task.Run(() => new SqliteNews2AssessmentStore(database).AppendManyAsync([assessment]));
        var cursor = Task.Run(() => new SqliteAlertStore(database).SetCursorAsync("signalr", 42));
        var heartbeat = Task.Run(() => new SqliteEvaluationQueue(database, TimeProvider.System).EnqueueStatusAsync(
            new Telehealth.Contracts.Devices.DeviceStatusReport("dev-1", "pat-1", 80, At, At, "oximeter", TimeSpan.FromHours(1))));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (database.WriteTurns.Waiting != (3, 0))
            {
                await Task.Delay(10, deadline.Token);
            }
        }
        Assert.False(news2.IsCompleted || cursor.IsCompleted || heartbeat.IsCompleted);

        held.Dispose();
        Assert.Equal(1, await news2.WaitAsync(TimeSpan.FromSeconds(10)));
        await cursor.WaitAsync(TimeSpan.FromSeconds(10));
        await heartbeat.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await CountAsync(database, "news2_assessments"));
        Assert.Equal(42L, await new SqliteAlertStore(database).GetCursorAsync("signalr"));
        Assert.Equal(1, await CountAsync(database, "evaluation_queue"));
    }

    [Fact]
    public async Task An_ingest_batch_waits_for_its_turn_then_stores_and_queues_every_reading()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        var store = new SqliteReadingStore(database, new FakeTimeProvider(At));
        Reading[] readings =
        [
            new("dev-1", "pat-1", VitalKind.Spo2, 96, At.AddSeconds(-2), At),
            new("dev-1", "pat-1", VitalKind.HeartRate, 71, At.AddSeconds(-2), At),
        ];

        var turn = await database.WaitForWriteTurnAsync();
        // Microsoft.Data.Sqlite completes its calls synchronously: a batch not waiting for the turn would be done here.
        var append = store.AppendAsync(readings);
        Assert.False(append.IsCompleted);
        Assert.Equal(0, await CountAsync(database, "vital_readings"));

        turn.Dispose();
        var result = await append.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, result.Count);
        Assert.Empty(result.Conflicts);
        Assert.Equal(2, await CountAsync(database, "vital_readings"));
        Assert.Equal(2, await CountAsync(database, "evaluation_queue"));
    }

    [Fact]
    public async Task An_outbox_append_waits_for_its_turn_then_appends_and_still_leaves_out_the_same_newest_content()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        var outbox = new SqliteOutbox(database, new FakeTimeProvider(At));
        OutboxMessage[] messages =
        [
            new("pat-1", "obs-1", null, "{}", "{\"v\":1}"),
            new("pat-1", "obs-2", null, "{}", "{\"v\":2}"),
        ];

        var turn = await database.WaitForWriteTurnAsync();
        var append = outbox.EnqueueAsync("fhir", messages, OutboxDedupe.UnlessNewestIsSame);
        Assert.False(append.IsCompleted);
        turn.Dispose();
        Assert.Equal(2, await append.WaitAsync(TimeSpan.FromSeconds(10)));

        // The content hashes (now taken before the lock) still decide: the same newest payload is left out, a new one is not.
        Assert.Equal(1, await outbox.EnqueueAsync("fhir",
            [new("pat-1", "obs-1", null, "{}", "{\"v\":1}"), new("pat-1", "obs-2", null, "{}", "{\"v\":3}")], OutboxDedupe.UnlessNewestIsSame));
        Assert.Equal(3, await CountAsync(database, "outbox"));
    }

    [Fact]
    public async Task With_background_checkpoints_no_commit_copies_the_wal_and_one_checkpoint_copies_all_of_it()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        await using var keeper = await database.OpenAsync();
        await WriteScratchAsync(database);
        var framesInFile = WalFramesInFile(database);
        Assert.True(framesInFile > 1_000, $"{framesInFile} frames: more than SQLite's automatic checkpoint mark of 1,000");

        var checkpointer = new SqliteWalCheckpointer(database, TimeProvider.System, NullLogger<SqliteWalCheckpointer>.Instance);
        var result = await checkpointer.CheckpointOnceAsync();

        // Every frame ever written is still in the WAL (no commit restarted it), and all of it is now in the file.
        Assert.Equal(new SqliteCheckpointResult(false, framesInFile, framesInFile), result);
    }

    [Fact]
    public async Task Without_background_checkpoints_commits_still_checkpoint_and_the_checkpointer_stays_idle()
    {
        var database = await MigratedAsync(checkpointsInBackground: false);
        await using var keeper = await database.OpenAsync();
        await WriteScratchAsync(database);
        var checkpointer = new SqliteWalCheckpointer(database, new FakeTimeProvider(At), NullLogger<SqliteWalCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        await checkpointer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10)); // returned at once: nothing to run

        // A commit past 1,000 frames checkpointed and the next one started the WAL over: fewer live frames than the file held.
        var result = await checkpointer.CheckpointOnceAsync();
        Assert.True(result.WalFrames < WalFramesInFile(database), $"{result.WalFrames} live frames of {WalFramesInFile(database)}");
        await checkpointer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_background_loop_checkpoints_every_interval()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        var time = new FakeTimeProvider(At);
        var checkpointer = new SqliteWalCheckpointer(database, time, NullLogger<SqliteWalCheckpointer>.Instance);
        await using var keeper = await database.OpenAsync();
        var checkpointed = new TaskCompletionSource<SqliteCheckpointResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpointer.Checkpointed += result => checkpointed.TrySetResult(result);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await WriteScratchAsync(database);
            var framesInFile = WalFramesInFile(database);

            time.Advance(SqliteWalCheckpointer.Interval);
            var result = await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(new SqliteCheckpointResult(false, framesInFile, framesInFile), result);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Readers that started before the last commits keep PASSIVE from starting the WAL over (1.8 GB in a 35 s bench
    /// run). A restart waits for the readers of that moment and copies the whole WAL; the next commit writes the WAL
    /// from its start (a few frames, the file no larger), every row in the file.
    /// </summary>
    [Fact]
    public async Task A_restart_waits_for_a_reader_still_in_the_wal_then_the_next_commit_starts_the_wal_over_and_keeps_every_row()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        await using var keeper = await database.OpenAsync();
        await WriteScratchAsync(database);
        await using var reader = await database.OpenAsync();
        await using var snapshot = reader.BeginTransaction(deferred: true);
        Assert.Equal(1_500, await CountInAsync(reader, snapshot));
        await WriteScratchAsync(database); // after the reader's snapshot: the reader pins the WAL
        // A wait long enough that only the reader's end can let the restart finish, however slow the machine.
        var checkpointer = new SqliteWalCheckpointer(database, TimeProvider.System, NullLogger<SqliteWalCheckpointer>.Instance)
        {
            RestartWait = TimeSpan.FromSeconds(60),
        };
        var passive = await checkpointer.CheckpointOnceAsync();
        Assert.True(passive.CheckpointedFrames < passive.WalFrames, $"{passive.CheckpointedFrames} of {passive.WalFrames} copied");
        var waiting = new TaskCompletionSource<SqliteCheckpointResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpointer.RestartWaiting += result => waiting.TrySetResult(result);

        // On another thread: SQLite's calls complete synchronously, so the restart's wait would otherwise run here.
        var restart = Task.Run(() => checkpointer.RestartAsync());
        var blocked = await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(blocked.Busy);
        Assert.False(restart.IsCompleted);
        await snapshot.CommitAsync(); // the reader finishes while the restart waits for it
        var result = await restart.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new SqliteCheckpointResult(false, passive.WalFrames, passive.WalFrames), result);
        await AssertNextCommitStartsTheWalOverAsync(database);
        Assert.Equal(3_001, await CountAsync(database, "scratch"));
    }

    [Fact]
    public async Task A_reader_that_stays_past_the_wait_leaves_the_wal_as_it_was_and_the_next_restart_starts_it_over()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        await using var keeper = await database.OpenAsync();
        await WriteScratchAsync(database);
        await using var reader = await database.OpenAsync();
        await using var snapshot = reader.BeginTransaction(deferred: true);
        Assert.Equal(1_500, await CountInAsync(reader, snapshot));
        await WriteScratchAsync(database);
        var walBytes = new FileInfo(database.Path + "-wal").Length;
        var checkpointer = new SqliteWalCheckpointer(database, TimeProvider.System, NullLogger<SqliteWalCheckpointer>.Instance);

        var blocked = await checkpointer.RestartAsync();

        Assert.True(blocked.Busy);
        Assert.Equal(walBytes, new FileInfo(database.Path + "-wal").Length);
        Assert.Equal(1_500, await CountInAsync(reader, snapshot)); // the reader's snapshot is untouched
        await snapshot.CommitAsync();
        // The short wait was for this call only: the connection waits as long as any other again.
        await using (var busy = keeper.CreateCommand())
        {
            busy.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30_000L, (long)(await busy.ExecuteScalarAsync())!);
        }
        Assert.False((await checkpointer.RestartAsync()).Busy);
        await AssertNextCommitStartsTheWalOverAsync(database);
        Assert.Equal(3_001, await CountAsync(database, "scratch"));
    }

    [Fact]
    public async Task The_background_loop_restarts_a_wal_that_reached_its_mark_and_only_then()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        await using var keeper = await database.OpenAsync();

        // Below the mark: ticks only checkpoint.
        await WriteScratchAsync(database); // about 1,500 pages
        var (belowTicks, belowRestarts) = await RunLoopAsync(database, restartAt: 2_500, ticks: 2, restarts: 0);
        Assert.True(belowTicks[0].WalFrames is > 1_000 and < 2_500, $"{belowTicks[0].WalFrames} frames");
        Assert.Empty(belowRestarts);

        // At the mark: the same tick copies all of it, and the next commit starts the WAL over.
        await WriteScratchAsync(database);
        var (atTicks, atRestarts) = await RunLoopAsync(database, restartAt: 1_000, ticks: 1, restarts: 1);
        Assert.True(atTicks[0].WalFrames >= 1_000, $"{atTicks[0].WalFrames} frames");
        var restarted = Assert.Single(atRestarts);
        Assert.False(restarted.Busy);
        Assert.Equal(restarted.WalFrames, restarted.CheckpointedFrames);
        Assert.True(restarted.WalFrames >= atTicks[0].WalFrames);
        await AssertNextCommitStartsTheWalOverAsync(database);
        Assert.Equal(3_001, await CountAsync(database, "scratch"));
    }

    /// <summary>
    /// A burst larger than <see cref="SqliteDatabase.WalSizeLimitBytes"/> leaves a WAL file that large; the commit that
    /// starts the WAL over cuts the file back to the limit (journal_size_limit, set on every connection).
    /// </summary>
    [Fact]
    public async Task The_commit_that_starts_the_wal_over_cuts_a_file_that_grew_past_the_limit_back_to_it()
    {
        var database = await MigratedAsync(checkpointsInBackground: true);
        await using var keeper = await database.OpenAsync();
        await WriteScratchAsync(database);
        await using (var connection = await database.OpenAsync())
        await using (var burst = connection.CreateCommand())
        {
            // One commit of 18,000 pages: 72 MB of WAL.
            burst.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 18000) INSERT INTO scratch (b) SELECT zeroblob(4000) FROM n";
            Assert.Equal(18_000, await burst.ExecuteNonQueryAsync());
        }
        Assert.True(new FileInfo(database.Path + "-wal").Length > SqliteDatabase.WalSizeLimitBytes);

        Assert.False((await CheckpointerFor(database).RestartAsync()).Busy);
        await WriteOneRowAsync(database);

        Assert.Equal(SqliteDatabase.WalSizeLimitBytes, new FileInfo(database.Path + "-wal").Length);
        Assert.True((await CheckpointerFor(database).CheckpointOnceAsync()).WalFrames < 10);
        Assert.Equal(19_501, await CountAsync(database, "scratch"));
    }

    private static SqliteWalCheckpointer CheckpointerFor(SqliteDatabase database) =>
        new(database, TimeProvider.System, NullLogger<SqliteWalCheckpointer>.Instance);

    /// <summary>One small commit after a restart writes the WAL from its start: a few frames, and the file no larger.</summary>
    private static async Task AssertNextCommitStartsTheWalOverAsync(SqliteDatabase database)
    {
        var walBytes = new FileInfo(database.Path + "-wal").Length;
        await WriteOneRowAsync(database);
        var after = await CheckpointerFor(database).CheckpointOnceAsync();
        Assert.True(after.WalFrames is > 0 and < 10, $"{after.WalFrames} frames after one small commit");
        Assert.Equal(walBytes, new FileInfo(database.Path + "-wal").Length);
    }

    private static async Task WriteOneRowAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO scratch (b) VALUES (zeroblob(10))";
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }

    /// <summary>
    /// Runs a checkpointer's loop for some ticks of a fake clock, waiting for the restarts expected (a tick ends after
    /// its restart; with no restart expected, a later tick shows the earlier ones ended without one).
    /// </summary>
    private static async Task<(List<SqliteCheckpointResult> Ticks, List<SqliteCheckpointResult> Restarts)> RunLoopAsync(
        SqliteDatabase database, long restartAt, int ticks, int restarts)
    {
        var time = new FakeTimeProvider(At);
        var checkpointer = new SqliteWalCheckpointer(database, time, NullLogger<SqliteWalCheckpointer>.Instance) { RestartAtFrames = restartAt };
        var ticked = new System.Collections.Concurrent.BlockingCollection<SqliteCheckpointResult>();
        var restarted = new System.Collections.Concurrent.BlockingCollection<SqliteCheckpointResult>();
        checkpointer.Checkpointed += ticked.Add;
        checkpointer.Restarted += restarted.Add;
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var tickResults = new List<SqliteCheckpointResult>();
            for (var tick = 0; tick < ticks; tick++)
            {
                time.Advance(SqliteWalCheckpointer.Interval);
                Assert.True(ticked.TryTake(out var result, TimeSpan.FromSeconds(30)));
                tickResults.Add(result);
            }
            var restartResults = new List<SqliteCheckpointResult>();
            for (var expected = 0; expected < restarts; expected++)
            {
                Assert.True(restarted.TryTake(out var result, TimeSpan.FromSeconds(30)));
                restartResults.Add(result);
            }
            return (tickResults, [.. restartResults, .. restarted]);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<long> CountInAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM scratch";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // The WAL tests hold a connection open (their "keeper"): other tests clear every connection pool of the process,
    // and when the last connection to a file closes SQLite checkpoints the WAL and deletes it.
    private async Task<SqliteDatabase> MigratedAsync(bool checkpointsInBackground)
    {
        var database = new SqliteDatabase(Path.Combine(_folder, $"wal-{checkpointsInBackground}.db"), checkpointsInBackground);
        await new SqliteMigrator(database, TimeProvider.System).MigrateAsync();
        return database;
    }

    /// <summary>About 1,500 pages in 30 commits: past the 1,000 at which SQLite checkpoints inside a commit by default.</summary>
    private static async Task WriteScratchAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS scratch (b BLOB NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }
        for (var commit = 0; commit < 30; commit++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO scratch (b) SELECT zeroblob(3000) FROM (SELECT 1 UNION ALL SELECT 2) a, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) b, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) c";
            Assert.Equal(50, await insert.ExecuteNonQueryAsync());
            await transaction.CommitAsync();
        }
    }

    /// <summary>Frames the -wal file holds: a 32-byte header, then per frame a 24-byte header and one page.</summary>
    private static long WalFramesInFile(SqliteDatabase database) => (new FileInfo(database.Path + "-wal").Length - 32) / (4096 + 24);

    private static async Task<long> CountAsync(SqliteDatabase database, string table)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
