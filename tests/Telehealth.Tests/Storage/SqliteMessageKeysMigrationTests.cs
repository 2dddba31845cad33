using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Migration 11 rebuilds vital_readings and evaluation_queue with keys that put a message's readings side by side
/// (time before kind): every row is kept as it was, the queue's sequence goes on after the highest ever given, identity
/// still refuses a repeat, and the indexes are exactly the ones meant (a real SQLite file, migrated from version 10).
/// </summary>
public sealed class SqliteMessageKeysMigrationTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new(migrate: false);
    private readonly SqliteProbe _probe;

    public SqliteMessageKeysMigrationTests() => _probe = new SqliteProbe(_temp.Database);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rows_and_sequence_numbers_survive_the_rebuild_and_identity_still_refuses_a_repeat()
    {
        await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 10)]).MigrateAsync();
        await _probe.ExecuteAsync("""
            INSERT INTO vital_readings (device_id, patient_id, kind, value, device_time_ms, received_at_ms) VALUES
                ('dev-1', 'pat-1', 'spo2', 94, 1000, 1001), ('dev-1', 'pat-1', 'heart_rate', 88, 1000, 1001),
                ('dev-2', 'pat-2', 'spo2', 97.5, 2000, 2002);
            INSERT INTO evaluation_queue (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
                    enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms) VALUES
                (5, 'pat-1', 'reading', 'dev-1', 'spo2', 94, 1000, 1001, 1002, 0, 1002, NULL, 1500, NULL),
                (6, 'pat-1', 'reading', 'dev-1', 'heart_rate', 88, 1000, 1001, 1002, 2, 9000, 'TimeoutException', NULL, NULL),
                (9, 'pat-2', 'status', 'dev-2', 'oximeter', 40, 2000, 2002, 2003, 0, 2003, NULL, NULL, 3600000);
            UPDATE sqlite_sequence SET seq = 20 WHERE name = 'evaluation_queue';
            """);
        var readingsBefore = await _probe.RowsAsync("SELECT * FROM vital_readings ORDER BY device_id, kind");
        var queueBefore = await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq");

        // Up to 11 only: migration 12 changes these keys again (SqliteTimeFirstKeysMigrationTests).
        var report = await new SqliteMigrator(_temp.Database, TimeProvider.System, [.. SqliteMigrations.All.Where(m => m.Version <= 11)]).MigrateAsync();

        Assert.Equal([11], report.Applied);
        Assert.Equal(readingsBefore, await _probe.RowsAsync("SELECT * FROM vital_readings ORDER BY device_id, kind"));
        Assert.Equal(queueBefore, await _probe.RowsAsync("SELECT * FROM evaluation_queue ORDER BY seq"));
        Assert.Equal([["20"]], await _probe.RowsAsync("SELECT seq FROM sqlite_sequence WHERE name = 'evaluation_queue'"));
        Assert.Equal([["vital_readings", "device_id,device_time_ms,kind", "1"], ["ix_vital_readings_patient_kind_time", "patient_id,kind,device_time_ms", "0"]],
            await _probe.IndexesAsync("vital_readings"));
        Assert.Equal(
            [
                ["evaluation_queue", "item_kind,device_id,device_time_ms,name", "1"],
                ["ix_evaluation_queue_done", "done_at_ms", "0"],
                ["ix_evaluation_queue_pending", "patient_id,seq", "0"],
                ["ix_evaluation_queue_pending_due", "due_at_ms", "0"],
                ["ix_evaluation_queue_pending_seq", "seq", "0"],
            ],
            await _probe.IndexesAsync("evaluation_queue"));

        // The stores on the rebuilt tables: a repeat is stored once, a new reading is queued after sequence 20.
        var store = new SqliteReadingStore(_temp.Database);
        var repeat = new Reading("dev-1", "pat-1", VitalKind.HeartRate, 88, DateTimeOffset.FromUnixTimeMilliseconds(1000), At);
        var fresh = new Reading("dev-1", "pat-1", VitalKind.Spo2, 93, DateTimeOffset.FromUnixTimeMilliseconds(61_000), At);
        var result = await store.AppendAsync([repeat, fresh]);
        Assert.Equal([fresh], result);
        Assert.Empty(result.Conflicts);
        Assert.Equal([["21", "spo2"]], await _probe.RowsAsync("SELECT seq, name FROM evaluation_queue WHERE seq > 9"));
        Assert.Equal(4, (await _probe.RowsAsync("SELECT * FROM vital_readings")).Count);
    }
}
