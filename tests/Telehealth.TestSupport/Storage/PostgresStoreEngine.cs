using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telehealth.Contracts.Rejections;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Ingest;

namespace Telehealth.TestSupport.Storage;

/// <summary>
/// The shared engine: a fresh database per test on the collection's real PostgreSQL server, copied from a template
/// that was migrated once (CREATE DATABASE … TEMPLATE is a file copy: milliseconds, not a migration per test).
/// </summary>
public sealed class PostgresStoreEngine(PostgresStoreFixture fixture) : IStoreEngine
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<PostgresDatabase> _databases = [];
    private string? _connectionString;

    public string Name => "postgres";

    /// <summary>The test's database (pooled), once opened.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Open the engine first.");

    public async Task<ServiceProvider> OpenAsync(TimeProvider clock)
    {
        _connectionString ??= await fixture.CreateDatabaseAsync();
        return Build(clock);
    }

    public Task<ServiceProvider> OpenAnotherAsync(TimeProvider clock) => Task.FromResult(Build(clock));

    public void AddStorage(IServiceCollection services)
    {
        var database = new PostgresDatabase(ConnectionString);
        _databases.Add(database);
        services.AddSingleton(database);
        services.AddTelehealthPostgresStorage();
    }

    private ServiceProvider Build(TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        AddStorage(services);
        services.AddSingleton(sp => new PostgresRejectionLog(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<PostgresRejectionLog>());
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
