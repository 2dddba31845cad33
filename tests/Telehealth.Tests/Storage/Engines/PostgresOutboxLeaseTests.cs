using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Telehealth.Contracts.Outbox;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Migrations;
using Telehealth.Storage.Postgres.Outbox;
using Telehealth.TestSupport;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// The PostgreSQL outbox's claim leases subjects, not rows (migration 7): a claim writes nothing to the outbox rows it
/// returns, only one <c>outbox_leases</c> row per person; another instance skips that person until the claimant records
/// the last row it claimed of them (sent or failed) or the lease runs out; a transient failure keeps the person with the
/// claimant. A database at migration 6 keeps every outbox row and its row leases become subject leases.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresOutboxLeaseTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly long LeaseEnd = Start.Add(PostgresOutbox.DefaultLeaseDuration).ToUnixTimeMilliseconds();
    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task A_claim_writes_nothing_to_the_outbox_rows_it_returns_and_leases_each_person_once_through_their_last_row()
    {
        var outbox = (PostgresOutbox)Get<IOutboxStore>();
        var database = Get<PostgresDatabase>();
        Assert.Equal(5, await outbox.EnqueueAsync("fhir", [Message("pat-a", 1), Message("pat-a", 2), Message("pat-b", 3), Message("pat-a", 4), Message("pat-b", 5)], OutboxDedupe.UnlessNewestIsSame));
        // Each row's version (the transaction that wrote it, and where it lies): an update of the row would change both.
        const string Versions = "SELECT seq, xmin::text, ctid::text, lease_owner, lease_until FROM outbox ORDER BY seq";
        var before = await RowsAsync(database, Versions);

        var claimed = await outbox.PendingAsync("fhir", 4);

        Assert.Equal([1L, 2, 3, 4], claimed.Select(row => row.Seq));
        Assert.Equal(before, await RowsAsync(database, Versions));
        Assert.Equal(
            [["fhir", "pat-a", outbox.Owner, Text(LeaseEnd), "4"], ["fhir", "pat-b", outbox.Owner, Text(LeaseEnd), "3"]],
            await RowsAsync(database, "SELECT kind, subject, owner, lease_until, claimed_through FROM outbox_leases ORDER BY subject"));
    }

    [Fact]
    public async Task Another_instance_skips_a_claimed_person_until_the_last_claimed_row_is_recorded_then_claims_the_next_row_at_once()
    {
        var a = (PostgresOutbox)Get<IOutboxStore>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var b = (PostgresOutbox)other.GetRequiredService<IOutboxStore>();
        var database = Get<PostgresDatabase>();
        Assert.Equal(4, await a.EnqueueAsync("fhir", [Message("pat-a", 1), Message("pat-a", 2), Message("pat-a", 3), Message("pat-b", 4)], OutboxDedupe.UnlessNewestIsSame));

        Assert.Equal([1L, 2], (await a.PendingAsync("fhir", 2)).Select(row => row.Seq));
        Assert.Equal([4L], (await b.PendingAsync("fhir", 10)).Select(row => row.Seq));
        await b.RecordPassAsync(4, OutboxStatus.Sent, 1, 201, null, null, Start);
        await a.RecordPassAsync(1, OutboxStatus.Sent, 1, 201, null, null, Start);
        Assert.Empty(await b.PendingAsync("fhir", 10));
        Assert.Equal([["pat-a", a.Owner, "2"]], await RowsAsync(database, "SELECT subject, owner, claimed_through FROM outbox_leases"));

        await a.RecordPassAsync(2, OutboxStatus.Failed, 1, 422, "rejected", null, null);

        Assert.Empty(await RowsAsync(database, "SELECT subject FROM outbox_leases"));
        Assert.Equal([3L], (await b.PendingAsync("fhir", 10)).Select(row => row.Seq));
        Assert.Empty(await a.PendingAsync("fhir", 10));
        Assert.Equal([["pat-a", b.Owner, "3"]], await RowsAsync(database, "SELECT subject, owner, claimed_through FROM outbox_leases"));
        Assert.Equal(new OutboxCounts(1, 2, 1), await a.CountAsync("fhir"));
    }

    [Fact]
    public async Task A_page_recorded_together_ends_the_leases_of_the_people_whose_last_claimed_row_it_holds_and_keeps_a_transient_ones()
    {
        var a = (PostgresOutbox)Get<IOutboxStore>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var b = (PostgresOutbox)other.GetRequiredService<IOutboxStore>();
        var database = Get<PostgresDatabase>();
        Assert.Equal(6, await a.EnqueueAsync("fhir",
            [Message("pat-a", 1), Message("pat-a", 2), Message("pat-b", 3), Message("pat-c", 4), Message("pat-a", 5), Message("pat-c", 6)], OutboxDedupe.UnlessNewestIsSame));
        Assert.Equal([1L, 2, 3, 4], (await a.PendingAsync("fhir", 4)).Select(row => row.Seq));

        await a.RecordPassesAsync([
            new OutboxPass(1, OutboxStatus.Sent, 1, 201, null, null, Start),
            new OutboxPass(2, OutboxStatus.Sent, 1, 200, null, null, Start),
            new OutboxPass(3, OutboxStatus.Failed, 1, 422, "rejected", null, null),
            new OutboxPass(4, OutboxStatus.Pending, 2, 503, "HTTP 503", null, null),
        ]);

        // pat-a's and pat-b's claims were wholly recorded: another instance takes pat-a's next row at once; pat-c's
        // row failed transiently and stays with its claimant.
        Assert.Equal([["pat-c", a.Owner, "4"]], await RowsAsync(database, "SELECT subject, owner, claimed_through FROM outbox_leases"));
        Assert.Equal([5L], (await b.PendingAsync("fhir", 10)).Select(row => row.Seq));
        Assert.Equal(new OutboxCounts(3, 2, 1), await a.CountAsync("fhir"));
        Assert.Equal(
            [["1", "sent", "1", "201"], ["2", "sent", "1", "200"], ["3", "failed", "1", "422"], ["4", "pending", "2", "503"]],
            await RowsAsync(database, "SELECT seq, status, attempts, last_status_code FROM outbox WHERE seq <= 4 ORDER BY seq"));
    }

    [Fact]
    public async Task A_transient_failure_keeps_the_person_with_the_claimant_and_a_silent_claimants_person_is_taken_over_when_the_lease_runs_out()
    {
        var a = (PostgresOutbox)Get<IOutboxStore>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var b = (PostgresOutbox)other.GetRequiredService<IOutboxStore>();
        var database = Get<PostgresDatabase>();
        Assert.Equal(2, await a.EnqueueAsync("fhir", [Message("pat-a", 1), Message("pat-a", 2)], OutboxDedupe.UnlessNewestIsSame));

        Assert.Equal([1L], (await a.PendingAsync("fhir", 1)).Select(row => row.Seq));
        await a.RecordPassAsync(1, OutboxStatus.Pending, 3, 503, "unavailable", null, null);
        Assert.Empty(await b.PendingAsync("fhir", 10));
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(LeaseEnd - 1));
        Assert.Empty(await b.PendingAsync("fhir", 10));

        // The claimant is gone (it never records again): at the end of its lease the other instance takes the person,
        // from the row that failed.
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(LeaseEnd));
        var takenOver = await b.PendingAsync("fhir", 10);

        Assert.Equal([(1L, 1), (2L, 0)], takenOver.Select(row => (row.Seq, row.Passes)));
        var newEnd = LeaseEnd + (long)PostgresOutbox.DefaultLeaseDuration.TotalMilliseconds;
        Assert.Equal([["pat-a", b.Owner, Text(newEnd), "2"]], await RowsAsync(database, "SELECT subject, owner, lease_until, claimed_through FROM outbox_leases"));
        Assert.Empty(await a.PendingAsync("fhir", 10));
    }

    [Fact]
    public async Task Upgrading_from_migration_6_keeps_every_outbox_row_and_turns_row_leases_of_pending_rows_into_subject_leases()
    {
        var name = PostgresServer.NewDatabaseName("outbox-leases");
        await using var database = new PostgresDatabase(await fixture.Server.CreateDatabaseAsync(name));
        await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 6)]).MigrateAsync();
        await ExecuteAsync(database, """
            INSERT INTO outbox (kind, subject, message_key, correlation_id, header, payload, content_hash, status, passes, attempts,
                    recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at, lease_owner, lease_until) VALUES
                ('fhir', 'pat-1', 'Observation/a', NULL, '{}', '{"a":1}', 'h1', 'sent', 1, 1, 0, 201, NULL, 1000, 1000, 1200, NULL, NULL),
                ('fhir', 'pat-1', 'Observation/b', NULL, '{}', '{"b":1}', 'h2', 'pending', 1, 2, 0, 503, 'unavailable', 1000, 1000, NULL, 'host:1:a', 90000),
                ('fhir', 'pat-1', 'Observation/c', NULL, '{}', '{"c":1}', 'h3', 'pending', 0, 0, 0, NULL, NULL, 1000, 1000, NULL, 'host:1:a', 99000),
                ('fhir', 'pat-2', 'Observation/d', NULL, '{}', '{"d":1}', 'h4', 'pending', 0, 0, 0, NULL, NULL, 1000, 1000, NULL, NULL, NULL),
                ('fhir', 'pat-3', 'Observation/e', NULL, '{}', '{"e":1}', 'h5', 'pending', 0, 0, 0, NULL, NULL, 1000, 1000, NULL, 'host:2:b', 5000),
                ('notification', 'sms:+44', 'escalation:1', 'alert-1', '{}', 'text', 'h6', 'failed', 2, 3, 1, 500, 'refused', 5000, 1000, NULL, 'host:2:b', 99000);
            SELECT setval(pg_get_serial_sequence('outbox', 'seq'), 20);
            """);
        const string Kept = """
            SELECT seq, kind, subject, message_key, correlation_id, header, payload, content_hash, status, passes, attempts,
                   recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at
            FROM outbox ORDER BY seq
            """;
        var before = await RowsAsync(database, Kept);

        // Through 7: migration 8 is the evaluation queue's (PostgresEvaluationSeenTests upgrades from 7).
        var report = await new PostgresMigrator(database, TimeProvider.System, [.. PostgresMigrations.All.Where(m => m.Version <= 7)]).MigrateAsync();

        Assert.Equal([7], report.Applied);
        Assert.Equal(6, before.Count);
        Assert.Equal(before, await RowsAsync(database, Kept));
        Assert.Equal([["0"]], await RowsAsync(database, "SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL"));
        Assert.Equal(
            [["fhir", "pat-1", "host:1:a", "99000", "3"], ["fhir", "pat-3", "host:2:b", "5000", "5"]],
            await RowsAsync(database, "SELECT kind, subject, owner, lease_until, claimed_through FROM outbox_leases ORDER BY subject"));
        Assert.Equal([["{fillfactor=60}"]], await RowsAsync(database, "SELECT reloptions::text FROM pg_class WHERE relname = 'outbox'"));

        // The upgraded table in use at 10 s: pat-1 is still host:1:a's (until 99 s), pat-3's lease ran out at 5 s, and
        // the identity continues after 20.
        var outbox = new PostgresOutbox(database, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10_000)));
        Assert.Equal([4L, 5], (await outbox.PendingAsync("fhir", 10)).Select(row => row.Seq));
        Assert.Equal(1, await outbox.EnqueueAsync("fhir", [Message("pat-2", 6)], OutboxDedupe.UnlessNewestIsSame));
        Assert.Equal([21L], (await outbox.ListAsync("fhir", OutboxStatus.Pending, 10, ["pat-2"], newestFirst: true)).Take(1).Select(row => row.Seq));
        Assert.Equal(new OutboxCounts(5, 1, 0), await outbox.CountAsync("fhir"));
    }

    private static OutboxMessage Message(string subject, int n) =>
        new(subject, $"urn:test|{n}", null, "{}", $"{{\"n\":{n}}}");

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

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
