using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Migration 12 rebuilds vital_readings and evaluation_queue with unique keys that begin with the device time (so an
/// ingest commit appends to each key instead of writing a page per device): every row is kept as it was, the queue's
/// sequence goes on after the highest ever given, identity still refuses a repeat (an evaluated item's too), the indexes
/// are exactly the ones meant, and the readings' queries still take the (patient, kind, time) index (a real SQLite
/// file, migrated from version 11).
/// </summary>
public sealed class SqliteTimeFirstKeysMigrationTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new(migrate: false);
    private readonly SqliteProbe _probe;

    public SqliteTimeFirstKeysMigrationTests() => _probe = new SqliteProbe(_temp.Database);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rows_and_sequence_numbers_survive_the_rebuild_and_identity_still_refuses_a_repeat()
    {
        await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 11)]).MigrateAsync();
        await _probe.ExecuteAsync("""
            INSERT INTO vital_readings (device_id, patient_id, kind, value, device_time_ms, received_at_ms) VALUES
                ('dev-1', 'pat-1', 'spo2', 94, 1000, 1001), ('dev-1', 'pat-1', 'heart_rate', 88, 1000, 1001),
                ('dev-2', 'pat-2', 'spo2', 97.5, 2000, 2002), ('dev-2', 'pat-2', 'spo2', 96, 500, 2500);
            INSERT INTO evaluation_queue (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
                    enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms) VALUES
                (5, 'pat-1', 'reading', 'dev-1', 'spo2', 94, 1000, 1001, 1002, 0, 1002, NULL, 1500, NULL),
                (6, 'pat-1', 'reading', 'dev-1', 'heart_rate', 88, 1000, 1001, 1002, 2, 9000, 'TimeoutException', NULL, NULL),
                (7, 'pat-1', 'reassess', 'pat-1', 'thresholds', NULL, 1100, 1100, 1100, 0, 1100, NULL, NULL, NULL),
                (8, 'pat-2', 'timer', 'pat-2', 'rule:no-data', NULL, 1200, 1200, 1200, 0, 1200, NULL, 1300, NULL),
                (9, 'pat-2', 'status', 'dev-2', 'oximeter', 40, 2000, 2002, 2003, 0, 2003, NULL, NULL, 3600000);
            UPDATE sqlite_sequence SET seq = 20 WHERE name = 'evaluation_queue';
            """);
        var readingsBefore = await _probe.RowsAsync("SELECT * FROM vital_readings ORDER BY device_id, device_time_ms, kind");
        var queueBefore = await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq");

        var report = await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 12)]).MigrateAsync();

        Assert.Equal([12], report.Applied);
        Assert.Equal(readingsBefore, await _probe.RowsAsync("SELECT * FROM vital_readings ORDER BY device_id, device_time_ms, kind"));
        Assert.Equal(queueBefore, await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq"));
        Assert.Equal([["20"]], await _probe.RowsAsync("SELECT seq FROM sqlite_sequence WHERE name = 'evaluation_queue'"));
        Assert.Equal([["vital_readings", "device_time_ms,device_id,kind", "1"], ["ix_vital_readings_patient_kind_time", "patient_id,kind,device_time_ms", "0"]],
            await _probe.IndexesAsync("vital_readings"));
        Assert.Equal(
            [
                ["evaluation_queue", "device_time_ms,item_kind,device_id,name", "1"],
                ["ix_evaluation_queue_done", "done_at_ms", "0"],
                ["ix_evaluation_queue_pending", "patient_id,seq", "0"],
                ["ix_evaluation_queue_pending_due", "due_at_ms", "0"],
                ["ix_evaluation_queue_pending_seq", "seq", "0"],
            ],
            await _probe.IndexesAsync("evaluation_queue"));

        // A person's chart still seeks (patient, kind, time); only retention walks the time-first key, as a range.
        Assert.Contains("USING INDEX ix_vital_readings_patient_kind_time (patient_id=? AND kind=? AND device_time_ms>? AND device_time_ms<?)",
            await _probe.PlanAsync("SELECT * FROM vital_readings WHERE patient_id = $p AND kind = $k AND device_time_ms >= $f AND device_time_ms < $t ORDER BY device_time_ms, device_id, kind LIMIT 100"));
        Assert.Contains("USING INDEX ix_vital_readings_patient_kind_time (patient_id=? AND kind=?)",
            await _probe.PlanAsync("SELECT * FROM vital_readings WHERE patient_id = $p AND kind = $k ORDER BY device_time_ms DESC LIMIT 1"));
        Assert.Contains("(device_time_ms<?)",
            await _probe.PlanAsync("SELECT rowid FROM vital_readings WHERE device_time_ms < $before LIMIT 5000"));

        // The stores on the rebuilt tables: a repeat is stored once, a new reading is queued after sequence 20, and an
        // evaluated item's reading offered again is not queued again.
        var store = new SqliteReadingStore(_temp.Database);
        var repeat = new Reading("dev-1", "pat-1", VitalKind.HeartRate, 88, DateTimeOffset.FromUnixTimeMilliseconds(1000), At);
        var fresh = new Reading("dev-1", "pat-1", VitalKind.Spo2, 93, DateTimeOffset.FromUnixTimeMilliseconds(61_000), At);
        var result = await store.AppendAsync([repeat, fresh]);
        Assert.Equal([fresh], result);
        Assert.Empty(result.Conflicts);
        await new SqliteEvaluationQueue(_temp.Database, TimeProvider.System).EnqueueReadingsAsync(
            [new Reading("dev-1", "pat-1", VitalKind.Spo2, 94, DateTimeOffset.FromUnixTimeMilliseconds(1000), At)]);
        Assert.Equal([["21", "spo2"]], await _probe.RowsAsync("SELECT seq, name FROM evaluation_queue WHERE seq > 9"));
        Assert.Equal(5, (await _probe.RowsAsync("SELECT * FROM vital_readings")).Count);
    }
}
