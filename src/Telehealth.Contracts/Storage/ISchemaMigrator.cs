namespace Telehealth.Contracts.Storage;

/// <summary>
/// Brings a storage engine's schema to the version this build expects. Run once at start, in one place, before any
/// store of that engine is used; each engine (SQLite now, PostgreSQL later) has its own numbered migrations.
/// </summary>
public interface ISchemaMigrator
{
    /// <exception cref="DatabaseSchemaException">The database cannot be used by this build; nothing was changed.</exception>
    Task<SchemaMigrationReport> MigrateAsync(CancellationToken cancellationToken = default);
}
