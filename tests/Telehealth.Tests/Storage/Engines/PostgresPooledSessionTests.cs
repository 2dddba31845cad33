using Npgsql;
using Telehealth.Storage.Postgres;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// A pooled connection keeps its prepared statements and is not reset on its way back to the pool, unless the
/// connection string asks for it: measured on a real PostgreSQL, one connection in the pool so each open gets the same
/// server session back.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresPooledSessionTests(PostgresStoreFixture fixture)
{
    // Npgsql prepares a statement on its fifth use (Auto Prepare Min Usages), so the tests run it six times.
    private const string Repeated = "SELECT count(*) FROM pg_class WHERE relkind = 'r'";

    [Fact]
    public async Task A_statement_run_again_is_prepared_once_on_the_connection_and_the_session_is_not_reset_between_uses()
    {
        await using var database = new PostgresDatabase(await PooledAsync(""));

        Assert.Equal(PostgresDatabase.DefaultMaxAutoPrepare, database.AutoPreparedStatements);
        Assert.False(database.ResetsOnClose);
        var backend = await ScalarAsync(database, "SELECT pg_backend_pid()");
        await ScalarAsync(database, "SELECT set_config('application_name', 'left-by-an-earlier-use', false)");
        for (var run = 0; run < 6; run++)
        {
            await ScalarAsync(database, Repeated);
        }

        Assert.Equal(backend, await ScalarAsync(database, "SELECT pg_backend_pid()"));
        Assert.Equal(1L, await ScalarAsync(database, $"SELECT count(*) FROM pg_prepared_statements WHERE statement = '{Repeated.Replace("'", "''", StringComparison.Ordinal)}'"));
        Assert.Equal("left-by-an-earlier-use", await ScalarAsync(database, "SELECT current_setting('application_name')"));
        // The server's plan choice: statements that must be planned per call say so themselves (PostgresPlanModeTests).
        Assert.Equal("auto", await ScalarAsync(database, "SELECT current_setting('plan_cache_mode')"));
    }

    [Fact]
    public async Task Options_of_the_connection_string_are_kept_and_a_plan_setting_of_its_own_is_the_sessions()
    {
        await using var withOptions = new PostgresDatabase(await PooledAsync("Options=-c statement_timeout=12345"));
        await using var ownPlanSetting = new PostgresDatabase(await PooledAsync("Options=-c plan_cache_mode=force_custom_plan"));

        Assert.Equal("12345ms", await ScalarAsync(withOptions, "SELECT current_setting('statement_timeout')"));
        Assert.Equal("auto", await ScalarAsync(withOptions, "SELECT current_setting('plan_cache_mode')"));
        Assert.Equal("force_custom_plan", await ScalarAsync(ownPlanSetting, "SELECT current_setting('plan_cache_mode')"));
    }

    [Fact]
    public async Task The_connection_string_can_ask_for_no_prepared_statements_and_a_reset_on_every_return()
    {
        await using var database = new PostgresDatabase(await PooledAsync("Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(0, database.AutoPreparedStatements);
        Assert.True(database.ResetsOnClose);
        var backend = await ScalarAsync(database, "SELECT pg_backend_pid()");
        await ScalarAsync(database, "SELECT set_config('application_name', 'left-by-an-earlier-use', false)");
        for (var run = 0; run < 6; run++)
        {
            await ScalarAsync(database, Repeated);
        }

        Assert.Equal(backend, await ScalarAsync(database, "SELECT pg_backend_pid()"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM pg_prepared_statements"));
        Assert.Equal("", await ScalarAsync(database, "SELECT current_setting('application_name')"));
        Assert.Equal("auto", await ScalarAsync(database, "SELECT current_setting('plan_cache_mode')"));
    }

    /// <summary>A fresh database's connection string with a pool of one (the test server's strings do not pool).</summary>
    private async Task<string> PooledAsync(string extra)
    {
        var builder = new NpgsqlConnectionStringBuilder(await fixture.Server.CreateDatabaseAsync(Telehealth.TestSupport.PostgresServer.NewDatabaseName("pooled")))
        {
            Pooling = true,
            MaxPoolSize = 1,
        };
        return builder.ConnectionString + (extra.Length == 0 ? "" : ";" + extra);
    }

    private static async Task<object?> ScalarAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
