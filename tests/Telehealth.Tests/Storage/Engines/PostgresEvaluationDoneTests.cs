using System.Globalization;
using Npgsql;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Migrations;
using Telehealth.TestSupport;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// Evaluated items leave the PostgreSQL queue for <c>evaluation_done</c> (migration 5) and the outbox's claim index holds
/// pending rows only (migration 6): a database at migration 4 keeps every row through both (pending queue items as they
/// were, done ones as identities, outbox rows as they were). Migration 8 then moves the identities to
/// <c>evaluation_seen</c> (<see cref="PostgresEvaluationSeenTests"/>).
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresEvaluationDoneTests(PostgresStoreFixture fixture)
{
    [Fact]
    public async Task Upgrading_from_migration_4_keeps_pending_rows_as_they_were_and_done_rows_as_identities()
    {
        var name = PostgresServer.NewDatabaseName("upgrade");
        await using var database = new PostgresDatabase(await fixture.Server.CreateDatabaseAsync(name));
        await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 4)]).MigrateAsync();
        await ExecuteAsync(database, """
            INSERT INTO evaluation_queue (seq, patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms,
                    enqueued_at_ms, attempts, due_at_ms, last_error, done_at_ms, interval_ms) OVERRIDING SYSTEM VALUE VALUES
                (5, 'pat-1', 'reading', 'dev-1', 'spo2', 94, 1000, 1001, 1002, 0, 1002, NULL, 1500, NULL),
                (6, 'pat-1', 'reading', 'dev-1', 'heart_rate', 88, 1000, 1001, 1002, 2, 9000, 'TimeoutException', NULL, NULL),
                (7, 'pat-2', 'event', 'dev-2', 'pendant_press', NULL, 2000, 2001, 2002, 0, 2002, NULL, 2500, NULL),
                (9, 'pat-2', 'status', 'dev-2', 'oximeter', 40, 2000, 2002, 2003, 0, 2003, NULL, NULL, 3600000);
            SELECT setval(pg_get_serial_sequence('evaluation_queue', 'seq'), 20);
            INSERT INTO evaluation_leases (patient_id, owner, lease_until_ms, claimed_through) VALUES ('pat-1', 'host:1:a', 99000, 6);
            INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, passes, attempts,
                    recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at, lease_owner, lease_until) VALUES
                ('fhir', 'pat-1', 'Observation/a', NULL, '{}', '{"a":1}', 'h1', 'sent', 1, 1, 0, 201, NULL, 1000, 1000, 1200, NULL, NULL),
                ('fhir', 'pat-1', 'Observation/b', NULL, '{}', '{"b":1}', 'h2', 'pending', 0, 0, 0, NULL, NULL, 1000, 1000, NULL, 'host:1:a', 99000),
                ('notification', 'sms:+44', 'escalation:1', 'alert-1', '{}', 'text', 'h3', 'failed', 2, 3, 1, 500, 'refused', 5000, 1000, NULL, NULL, NULL);
            """);
        var pendingBefore = await RowsAsync(database, "SELECT * FROM evaluation_queue WHERE done_at_ms IS NULL ORDER BY seq");
        var leasesBefore = await RowsAsync(database, "SELECT * FROM evaluation_leases");
        var outboxBefore = await RowsAsync(database, "SELECT * FROM outbox ORDER BY seq");

        // Through 6: migration 7 moves the outbox's lease columns (PostgresOutboxLeaseTests upgrades from 6).
        var report = await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 6)]).MigrateAsync();

        Assert.Equal([5, 6], report.Applied);
        Assert.Equal(pendingBefore, await RowsAsync(database, "SELECT * FROM evaluation_queue ORDER BY seq"));
        Assert.Equal(leasesBefore, await RowsAsync(database, "SELECT * FROM evaluation_leases"));
        Assert.Equal(3, outboxBefore.Count);
        Assert.Equal(outboxBefore, await RowsAsync(database, "SELECT * FROM outbox ORDER BY seq"));
        Assert.Equal(
            [
                ["ix_outbox_delivered"], ["ix_outbox_kind_correlation"], ["ix_outbox_kind_key"], ["ix_outbox_kind_subject"],
                ["ix_outbox_pending"], ["ix_outbox_unrecorded"], ["outbox_pkey"],
            ],
            await RowsAsync(database, "SELECT indexname FROM pg_indexes WHERE tablename = 'outbox' ORDER BY indexname"));
        Assert.Equal([["{fillfactor=60}"]], await RowsAsync(database, "SELECT reloptions::text FROM pg_class WHERE relname = 'outbox'"));
        Assert.Equal([["event", "dev-2", "pendant_press", "2000", "2500"], ["reading", "dev-1", "spo2", "1000", "1500"]],
            await RowsAsync(database, "SELECT * FROM evaluation_done ORDER BY item_kind"));
        Assert.Equal(
            [
                ["evaluation_queue_item_kind_device_id_name_device_time_ms_key"], ["evaluation_queue_pkey"],
                ["ix_evaluation_queue_pending"], ["ix_evaluation_queue_pending_due"],
            ],
            await RowsAsync(database, "SELECT indexname FROM pg_indexes WHERE tablename = 'evaluation_queue' ORDER BY indexname"));
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
