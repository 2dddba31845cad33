using Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Telehealth.TestSupport.Storage;

/// <summary>
/// The base of a store conformance suite: each test gets a fresh database of <paramref name="engine"/> with every store
/// registered, and asks for stores by interface (<see cref="Get{T}"/>). A suite runs once per engine (a SQLite class
/// that keeps the suite's old name, and a PostgreSQL class in <c>PostgresStoresCollection</c>).
/// </summary>
public abstract class StoreSuite(IStoreEngine engine) : IAsyncLifetime
{
    private ServiceProvider? _services;

    protected IStoreEngine Engine => engine;

    /// <summary>The stores' clock (read once, when the test's database is opened).</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    protected ServiceProvider Services => _services ?? throw new InvalidOperationException("The suite has not been initialised.");

    protected T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public virtual async Task InitializeAsync() => _services = await engine.OpenAsync(Clock);

    public virtual async Task DisposeAsync() => await engine.DisposeAsync();
}
