
namespace Telehealth.Storage.Sqlite;

/// <summary>
/// Runs a store's idempotent DDL once, before its first use, so the stores work whatever order the host
/// starts its services in. A failed attempt is retried on the next use.
/// </summary>
public sealed class SchemaGate(SqliteDatabase database, string ddl)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _ready;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await database.EnsureSchemaAsync(ddl, cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
