using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Caseload;
using Telehealth.Storage.Postgres.Migrations;
using Telehealth.TestSupport;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// Which prepared statements PostgreSQL may plan once for any parameters (a generic plan) and which it plans for each
/// call's, read from the server's own counters (pg_prepared_statements) on a pool of one connection, so every call
/// runs in the same session: the evaluation claim and the readings' queueing statement are planned per call however
/// often they run (a generic claim plan read 2,680 pages a call instead of 310); a person's record, read by every
/// evaluation pass, goes generic after PostgreSQL's five custom plans, so it is no longer planned on every call.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresPlanModeTests(PostgresStoreFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    // Npgsql prepares a statement on its fifth use (Auto Prepare Min Usages), so of ten calls six run prepared.
    private const int Calls = 10;

    [Fact]
    public async Task The_claim_and_the_queueing_statement_are_planned_for_every_call_and_a_persons_record_once_for_all()
    {
        var builder = new NpgsqlConnectionStringBuilder(await fixture.Server.CreateDatabaseAsync(PostgresServer.NewDatabaseName("plans")))
        {
            Pooling = true,
            MaxPoolSize = 1,
        };
        await using var database = new PostgresDatabase(builder.ConnectionString);
        await new PostgresMigrator(database, TimeProvider.System).MigrateAsync();
        var clock = new FakeTimeProvider(Start);
        var queue = new PostgresEvaluationQueue(database, clock);
        var patients = new PostgresPatientRepository(database);

        var claimed = new List<string>();
        for (var call = 0; call < Calls; call++)
        {
            // A new person each call; the earlier ones are skipped as a running pass's would be.
            var person = $"pat-{call}";
            await queue.EnqueueReadingsAsync([new Reading("dev-" + person, person, VitalKind.Spo2, 95, Start.AddSeconds(call), Start.AddSeconds(call))]);
            Assert.Equal([person], (await queue.ClaimAsync(100, Start, claimed)).Select(item => item.PatientId));
            claimed.Add(person);
            Assert.Null(await patients.GetAsync(person));
        }

        Assert.Equal((0L, 6L), await PlansAsync(database, "%WITH RECURSIVE pending_patients%"));
        Assert.Equal((0L, 6L), await PlansAsync(database, "%INSERT INTO evaluation_seen%"));
        // Five custom plans, then the generic one (as cheap, and no planning), kept.
        Assert.Equal((1L, 5L), await PlansAsync(database, "SELECT%FROM patients WHERE id = $1%"));
        Assert.Equal("auto", await ScalarAsync(database, "SELECT current_setting('plan_cache_mode')"));
    }

    /// <summary>Generic and custom plans of the one prepared statement whose text is like <paramref name="pattern"/>.</summary>
    private static async Task<(long Generic, long Custom)> PlansAsync(PostgresDatabase database, string pattern)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE @pattern", connection);
        command.Parameters.AddWithValue("@pattern", pattern);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no prepared statement like {pattern}");
        var plans = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.False(await reader.ReadAsync(), $"more than one prepared statement like {pattern}");
        return plans;
    }

    private static async Task<object?> ScalarAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
