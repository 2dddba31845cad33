using Telehealth.Contracts.Evaluation;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Migration 14 replaces ix_evaluation_queue_pending_due (every pending row, written and removed once per reading) with
/// ix_evaluation_queue_backing_off (only pending rows with attempts): every row and the queue's sequence are kept, the
/// queue's indexes are exactly the ones meant, the claim's backing-off search takes the new index, and a claim on the
/// migrated file answers exactly as before: queue order, a backing-off person held from their backing-off item on,
/// skipped people left out, and an item that failed once held until due (a real SQLite file, migrated from version 13).
/// </summary>
public sealed class SqliteQueueBackingOffIndexMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(10_000);
    private readonly TempDatabase _temp = new(migrate: false);
    private readonly SqliteProbe _probe;

    public SqliteQueueBackingOffIndexMigrationTests() => _probe = new SqliteProbe(_temp.Database);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rows_are_kept_the_due_index_holds_only_retried_items_and_claims_answer_as_before()
    {
        await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 13)]).MigrateAsync();
        // pat-1: two pending readings, one done; pat-2: a reading backing off until 20,000 (after Now), then one
        // pending after it; pat-3: a pending timer and a status; pat-4: one pending reading (skipped by the claim below).
        await _probe.ExecuteAsync("""
            INSERT INTO evaluation_queue (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
                    enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms) VALUES
                (3, 'pat-1', 'reading', 'dev-1', 'spo2', 94, 1000, 1001, 1002, 0, 1002, NULL, 1500, NULL),
                (4, 'pat-1', 'reading', 'dev-1', 'heart_rate', 88, 1000, 1001, 1002, 0, 1002, NULL, NULL, NULL),
                (5, 'pat-2', 'reading', 'dev-2', 'spo2', 91, 1100, 1101, 1102, 2, 20000, 'TimeoutException', NULL, NULL),
                (6, 'pat-1', 'reading', 'dev-1', 'spo2', 95, 2000, 2001, 2002, 0, 2002, NULL, NULL, NULL),
                (7, 'pat-2', 'reading', 'dev-2', 'heart_rate', 77, 2100, 2101, 2102, 0, 2102, NULL, NULL, NULL),
                (8, 'pat-3', 'timer', 'pat-3', 'rule:no-data', NULL, 2200, 2200, 2200, 0, 2200, NULL, NULL, NULL),
                (9, 'pat-3', 'status', 'dev-3', 'oximeter', 40, 2300, 2301, 2302, 0, 2302, NULL, NULL, 3600000),
                (10, 'pat-4', 'reading', 'dev-4', 'spo2', 97, 2400, 2401, 2402, 0, 2402, NULL, NULL, NULL);
            UPDATE sqlite_sequence SET seq = 30 WHERE name = 'evaluation_queue';
            """);
        var queueBefore = await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq");
        // Before: the due index, which holds every pending row.
        Assert.Contains("SEARCH evaluation_queue USING INDEX ix_evaluation_queue_pending_due (due_at_ms>?)",
            await _probe.PlanAsync(SqliteEvaluationQueue.ClaimStatement(skipsPatients: false)));

        var report = await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 14)]).MigrateAsync();

        Assert.Equal([14], report.Applied);
        Assert.Equal(queueBefore, await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq"));
        Assert.Equal(8, queueBefore.Count);
        Assert.Equal([["30"]], await _probe.RowsAsync("SELECT seq FROM sqlite_sequence WHERE name = 'evaluation_queue'"));
        Assert.Equal(
            [
                ["evaluation_queue", "device_time_ms,item_kind,device_id,name", "1"],
                ["ix_evaluation_queue_backing_off", "due_at_ms", "0"],
                ["ix_evaluation_queue_done", "done_at_ms", "0"],
                ["ix_evaluation_queue_pending_seq", "seq", "0"],
            ],
            await _probe.IndexesAsync("evaluation_queue"));
        foreach (var skipping in new[] { false, true })
        {
            var plan = await _probe.PlanAsync(SqliteEvaluationQueue.ClaimStatement(skipping));
            Assert.Contains("SCAN q USING INDEX ix_evaluation_queue_pending_seq", plan);
            Assert.Contains("SEARCH evaluation_queue USING INDEX ix_evaluation_queue_backing_off (due_at_ms>?)", plan);
        }

        var queue = new SqliteEvaluationQueue(_temp.Database, TimeProvider.System);
        var claimed = await queue.ClaimAsync(10, Now, ["pat-4"]);
        Assert.Equal(
            [(4L, "pat-1", DueItemKind.Reading), (6L, "pat-1", DueItemKind.Reading), (8L, "pat-3", DueItemKind.Timer), (9L, "pat-3", DueItemKind.DeviceStatus)],
            claimed.Select(item => (item.Sequence, item.PatientId, item.Kind)));
        Assert.Equal([88.0, 95.0], claimed.Take(2).Select(item => item.Reading!.Value));
        // Once pat-2's item is due, pat-2 is claimed again, in queue order; the limit still counts from the front.
        Assert.Equal([4L, 5L, 6L], (await queue.ClaimAsync(3, DateTimeOffset.FromUnixTimeMilliseconds(20_000), [])).Select(item => item.Sequence));
        Assert.Equal([["7"]], await _probe.RowsAsync("SELECT COUNT(*) FROM evaluation_queue WHERE done_at_ms IS NULL"));
        Assert.Equal([["ix_evaluation_queue_backing_off", "CREATE INDEX ix_evaluation_queue_backing_off ON evaluation_queue (due_at_ms) WHERE done_at_ms IS NULL AND attempts > 0"]],
            await _probe.RowsAsync("SELECT name, sql FROM sqlite_master WHERE name = 'ix_evaluation_queue_backing_off'"));

        // An item that fails on the migrated file backs off through the new index: pat-1 is held from it until due.
        await queue.DeferAsync([4L], "TimeoutException", DateTimeOffset.FromUnixTimeMilliseconds(30_000));
        Assert.Equal([5L, 7L, 8L, 9L, 10L], (await queue.ClaimAsync(10, DateTimeOffset.FromUnixTimeMilliseconds(20_000), [])).Select(item => item.Sequence));
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L, 10L], (await queue.ClaimAsync(10, DateTimeOffset.FromUnixTimeMilliseconds(30_000), [])).Select(item => item.Sequence));
    }
}
