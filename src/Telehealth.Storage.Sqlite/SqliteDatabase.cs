using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// The embedded SQLite database under ./data. Its schema is made by the migrations (<see cref="Migrations.SqliteMigrator"/>),
/// run once at start; stores open short-lived connections; WAL lets the dashboard read while ingest writes.
/// With <see cref="CheckpointsInBackground"/> the WAL is copied back into the file by <see cref="SqliteWalCheckpointer"/>
/// instead of by whichever commit crosses SQLite's 1,000-page mark: that commit was most often the ingest writer's,
/// which then copied and synced up to 4 MB before it could answer its devices (58 % of the writer's time in a profile).
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    private readonly string _connectionString;

    // SQLite lets one writer in at a time and makes the others poll, sleeping 1, 2, 5 … 25, 50, 100 ms between tries:
    // behind a 200 ms outbox transaction the ingest writer slept until 228 ms, and a writer with more to write (the
    // outbox's next call) could take the lock back before the sleeper's next try. Writers in this process that write
    // in bulk take turns here instead, handed over in arrival order the moment the last one commits.
    private readonly SemaphoreSlim _writeTurns = new(1, 1);

    public SqliteDatabase(string path)
        : this(path, checkpointsInBackground: false)
    {
    }

    /// <param name="path">The database file.</param>
    /// <param name="checkpointsInBackground">
    /// True when a <see cref="SqliteWalCheckpointer"/> runs for this database (the host registers one): commits then
    /// never checkpoint. Without one the WAL would only grow, so the default keeps SQLite's automatic checkpoints.
    /// </param>
    public SqliteDatabase(string path, bool checkpointsInBackground)
    {
        CheckpointsInBackground = checkpointsInBackground;
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

    /// <summary>Whether commits leave checkpoints to a <see cref="SqliteWalCheckpointer"/> (wal_autocheckpoint=0).</summary>
    public bool CheckpointsInBackground { get; }

    /// <summary>
    /// Waits for this process's turn to write; dispose the answer after the commit (or rollback). For transactions
    /// that write in bulk (an ingest batch, an outbox append); never take a second turn while holding one.
    /// </summary>
    public async ValueTask<IDisposable> WaitForWriteTurnAsync(CancellationToken cancellationToken = default)
    {
        await _writeTurns.WaitAsync(cancellationToken);
        return new WriteTurn(_writeTurns);
    }

    /// <summary>How long a connection waits for another's lock before SQLITE_BUSY (set on every connection).</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

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
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeoutMilliseconds};"
            + (CheckpointsInBackground ? " PRAGMA wal_autocheckpoint=0;" : "");
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        if (connection.Handle is { } configured)
        {
            Configured.AddOrUpdate(configured, Marker);
        }
        return connection;
    }

    private sealed class WriteTurn(SemaphoreSlim turns) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turns.Release();
            }
        }
    }
}
