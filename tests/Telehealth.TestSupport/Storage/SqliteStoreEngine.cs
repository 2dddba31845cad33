using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Contracts.Rejections;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.TestSupport.Storage;

/// <summary>The embedded engine: a real SQLite file in a fresh temp folder, deleted afterwards.</summary>
public sealed class SqliteStoreEngine : IStoreEngine
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-stores-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];

    public string Name => "sqlite";

    public string DatabasePath => Path.Combine(_folder, "telehealth.db");

    public async Task<ServiceProvider> OpenAsync(TimeProvider clock)
    {
        var provider = Build(clock);
        await new SqliteMigrator(provider.GetRequiredService<SqliteDatabase>(), TimeProvider.System).MigrateAsync();
        return provider;
    }

    public Task<ServiceProvider> OpenAnotherAsync(TimeProvider clock) => Task.FromResult(Build(clock));

    public void AddStorage(IServiceCollection services)
    {
        services.AddSingleton(new SqliteDatabase(DatabasePath));
        services.AddTelehealthSqliteStorage();
    }

    private ServiceProvider Build(TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        AddStorage(services);
        services.AddSingleton(sp => new SqliteRejectionLog(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<SqliteRejectionLog>());
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
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
