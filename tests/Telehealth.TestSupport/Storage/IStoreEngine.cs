using Microsoft.Extensions.DependencyInjection;

namespace Telehealth.TestSupport.Storage;

/// <summary>
/// One care-record engine under test: a fresh, migrated database per test and every store of the engine registered
/// (its AddTelehealth…Storage) with the test's clock. The conformance suites ask for store interfaces only, so the same
/// test runs once per engine.
/// </summary>
public interface IStoreEngine : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres", for messages.</summary>
    string Name { get; }

    /// <summary>A fresh database, migrated, with every store registered; <paramref name="clock"/> is the TimeProvider.</summary>
    Task<ServiceProvider> OpenAsync(TimeProvider clock);

    /// <summary>A second, independent set of stores on the same database (another process's view: its own pool, signals and owners).</summary>
    Task<ServiceProvider> OpenAnotherAsync(TimeProvider clock);

    /// <summary>Registers the opened database (own connections) and every store of the engine, for a test that builds its own container.</summary>
    void AddStorage(IServiceCollection services);
}
