using Xunit;
using Npgsql;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Migrations;

namespace Telehealth.TestSupport.Storage;

/// <summary>
/// One real PostgreSQL server (Debian's package as a local process) for every PostgreSQL store test, and one template
/// database migrated once; each test gets its own copy (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresStoreFixture : IAsyncLifetime
{
    private readonly string _template = PostgresServer.NewDatabaseName("template");

    public PostgresServer Server { get; } = new();

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        // The server's connection strings do not pool, so no connection to the template is left open for the copies.
        await using var template = new PostgresDatabase(await Server.CreateDatabaseAsync(_template));
        await new PostgresMigrator(template, TimeProvider.System).MigrateAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();

    /// <summary>A fresh, migrated database; its connection string pools (the engine disposes its data source after the test).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = PostgresServer.NewDatabaseName();
        await Server.ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{_template}\"");
        return new NpgsqlConnectionStringBuilder(Server.ConnectionString(name)) { Pooling = true }.ConnectionString;
    }
}
