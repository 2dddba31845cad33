using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// The embedded SQLite database under ./data. Its schema is made by the migrations (<see cref="Migrations.SqliteMigrator"/>),
/// run once at start; stores open short-lived connections; WAL lets the dashboard read while ingest writes.
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // The settings below belong to the physical connection, which the pool hands out again: set them once per
        // handle, not on every open (every store opens a connection per call, many times per evaluation pass).
        if (connection.Handle is { } handle && Configured.TryGetValue(handle, out _))
        {
            return connection;
        }
        using var pragma = connection.CreateCommand();
        // busy_timeout: several writers (ingest, alerts, API) share the file; wait rather than fail with SQLITE_BUSY.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        if (connection.Handle is { } configured)
        {
            Configured.AddOrUpdate(configured, Marker);
        }
        return connection;
    }
}
