using System.Globalization;
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
/// After an outage of the FHIR server the outbox holds a backlog behind the history of rows already sent. Ordered by
/// <c>seq</c>, the primary key offers the planner a second way to the oldest pending rows: walk every sent row first.
/// With a third of the table pending, PostgreSQL's estimate (pending rows spread evenly) makes that walk look cheap, and
/// a claim read 100,000 pages of history where the pending rows' own index needs about 50 (measured on 300,000 rows:
/// 618 ms against 0.1 ms). The claim's order is on an expression that only the pending index holds (migration 9).
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresOutboxClaimPlanTests(PostgresStoreFixture fixture)
{
    private const int Sent = 20_000;
    private const int Pending = 10_000;

    [Fact]
    public async Task A_claim_behind_20000_sent_rows_reads_the_pending_rows_index_not_the_history()
    {
        await using var database = new PostgresDatabase(await fixture.Server.CreateDatabaseAsync(PostgresServer.NewDatabaseName("outbox-claim-plan")));
        await new PostgresMigrator(database, TimeProvider.System).MigrateAsync();
        // Rows the size of a reading's Observation (about 1.8 KB), the oldest 20,000 sent, then the backlog; statistics
        // as autovacuum would leave them.
        await ExecuteAsync(database, $$"""
            CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
            INSERT INTO outbox (kind, subject, message_key, header, payload, content_hash, status, next_attempt_at, created_at, completed_at)
            SELECT 'fhir', 'pat-' || (i % 50), 'urn:test|' || i, '{}', repeat('x', 1800), 'h' || i,
                   CASE WHEN i <= {{Sent}} THEN 'sent' ELSE 'pending' END, 0, 0, CASE WHEN i <= {{Sent}} THEN 1 END
            FROM generate_series(1, {{Sent + Pending}}) AS i;
            ANALYZE outbox;
            """);
        var outbox = new PostgresOutbox(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero)));
        var pagesBefore = await ClaimPagesAsync(database);

        var claimed = await outbox.PendingAsync("fhir", 100);

        Assert.Equal(Enumerable.Range(Sent + 1, 100).Select(seq => (long)seq), claimed.Select(row => row.Seq));
        var pages = await ClaimPagesAsync(database) - pagesBefore;
        // About 100 heap pages for the rows picked and read back, a few index pages each way; walking the sent rows
        // first reads at least their 10,000 heap pages (two rows a page at the table's fillfactor of 60).
        Assert.InRange(pages, 1, 1_000);
        Assert.Equal(new OutboxCounts(Pending, Sent, 0), await outbox.CountAsync("fhir"));
    }

    /// <summary>Pages the claim statement has touched in this database (shared buffers hit or read), from pg_stat_statements.</summary>
    private static async Task<long> ClaimPagesAsync(PostgresDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT COALESCE(sum(shared_blks_hit + shared_blks_read), 0)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE '%WITH picked AS MATERIALIZED%'
            """, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
