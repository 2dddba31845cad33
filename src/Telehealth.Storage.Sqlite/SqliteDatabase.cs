using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Storage;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// The embedded SQLite database under ./data. Its schema is made by the migrations (<see cref="Migrations.SqliteMigrator"/>),
/// run once at start; stores open short-lived connections; WAL lets the dashboard read while ingest writes.
/// With <see cref="CheckpointsInBackground"/> the WAL is copied back into the file by <see cref="SqliteWalCheckpointer"/>
/// instead of by whichever commit crosses SQLite's 1,000-page mark: that commit was most often the ingest writer's,
/// which then copied and synced up to 4 MB before it could answer its devices (58 % of the writer's time in a profile).
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    private readonly string _connectionString;

    // SQLite lets one writer in at a time and makes the others poll, sleeping 1, 2, 5 … 25, 50, 100 ms between tries:
    // behind a 200 ms outbox transaction the ingest writer slept until 228 ms, and a writer with more to write (the
    // outbox's next call) could take the lock back before the sleeper's next try. Writers in this process that write
    // in bulk take turns here instead, handed over the moment the last one commits: urgent ones first, in arrival order.
    private readonly SqliteWriteTurns _writeTurns;

    /// <summary>How long a deferrable writer lets urgent ones go first (<see cref="SqliteWriteTurns"/>): 100 ms.</summary>
    public static readonly TimeSpan DeferredTurnBound = TimeSpan.FromMilliseconds(100);

    public SqliteDatabase(string path)
        : this(path, checkpointsInBackground: false)
    {
    }

    /// <param name="path">The database file.</param>
    /// <param name="checkpointsInBackground">
    /// True when a <see cref="SqliteWalCheckpointer"/> runs for this database (the host registers one): commits then
    /// never checkpoint. Without one the WAL would only grow, so the default keeps SQLite's automatic checkpoints.
    /// </param>
    /// <param name="time">The clock of the write turns' bound for deferrable writers (tests pass a fake one).</param>
    public SqliteDatabase(string path, bool checkpointsInBackground, TimeProvider? time = null)
    {
        _writeTurns = new SqliteWriteTurns(time ?? TimeProvider.System, DeferredTurnBound);
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
    /// that write in bulk (an ingest batch, an outbox append); never take a second turn while holding one. Deferrable
    /// when the calling work says so (<see cref="WriteUrgency"/>).
    /// </summary>
    public ValueTask<IDisposable> WaitForWriteTurnAsync(CancellationToken cancellationToken = default) =>
        _writeTurns.WaitAsync(WriteUrgency.IsDeferrable, cancellationToken);

    /// <summary>This database's write turns (tests look at who waits).</summary>
    public SqliteWriteTurns WriteTurns => _writeTurns;

    // The writer connection and its compiled statements (SqliteWrite): touched only by the holder of the write turn,
    // whose hand-over orders every use after the last.
    private SqliteConnection? _writer;
    private readonly Dictionary<string, SqliteCommand> _writerStatements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _writerPrepared = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>
    /// Waits for this process's write turn (<see cref="WaitForWriteTurnAsync"/>) and begins an IMMEDIATE transaction on
    /// the database's writer connection, kept open between writes with its statements compiled (<see cref="SqliteWrite"/>).
    /// </summary>
    public async ValueTask<SqliteWrite> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        var turn = await WaitForWriteTurnAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= await OpenAsync(cancellationToken);
            // IMMEDIATE: the write lock is taken up front, so what this transaction reads cannot be overtaken by a
            // writer outside the turns (an API edit) before it writes.
            return new SqliteWrite(this, turn, _writer, _writer.BeginTransaction(deferred: false));
        }
        catch
        {
            EndWrite(healthy: false);
            turn.Dispose();
            throw;
        }
    }

    internal SqliteCommand WriterStatement(string sql, SqliteTransaction transaction)
    {
        if (!_writerStatements.TryGetValue(sql, out var command))
        {
            command = _writer!.CreateCommand();
            command.CommandText = sql;
            _writerStatements.Add(sql, command);
        }
        command.Transaction = transaction;
        return command;
    }

    internal SqliteStatement WriterPrepared(string sql)
    {
        if (!_writerPrepared.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(_writer!.Handle!, sql);
            _writerPrepared.Add(sql, statement);
        }
        return statement;
    }

    /// <summary>After a write: a writer connection that failed is closed, so the next write opens a fresh one.</summary>
    internal void EndWrite(bool healthy)
    {
        if (!healthy || _disposed)
        {
            CloseWriter();
        }
    }

    private void CloseWriter()
    {
        foreach (var command in _writerStatements.Values)
        {
            command.Dispose();
        }
        _writerStatements.Clear();
        // Finalized before the connection closes: an unfinalized statement would keep the closed handle alive.
        foreach (var statement in _writerPrepared.Values)
        {
            statement.Dispose();
        }
        _writerPrepared.Clear();
        _writer?.Dispose();
        _writer = null;
    }

    // Reader connections kept with their compiled statements (SqliteRead), at most MaxKeptReaders: an evaluation pass
    // decides several people at once, each with its reads side by side.
    private readonly System.Collections.Concurrent.ConcurrentStack<KeptReader> _readers = new();

    /// <summary>How many idle reader connections are kept; one given back beyond that is closed.</summary>
    public const int MaxKeptReaders = 32;

    /// <summary>
    /// Lends a kept reader connection (or opens one) for one call's reads (<see cref="SqliteRead"/>). Inside a snapshot
    /// (<see cref="BeginSnapshot"/>) on this flow of work, the snapshot's connection, unless another read has it.
    /// </summary>
    public async ValueTask<SqliteRead> BeginReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (CurrentSnapshot.Value is { } snapshot && snapshot.Database == this && snapshot.TryLend() is { } lent)
        {
            return lent;
        }
        return new SqliteRead(this, _readers.TryPop(out var kept) ? kept : new KeptReader(await OpenAsync(cancellationToken)));
    }

    private static readonly AsyncLocal<SqliteReadSnapshot?> CurrentSnapshot = new();

    /// <summary>
    /// Begins a read snapshot for this flow of work (<see cref="Telehealth.Contracts.Storage.IReadSnapshots"/>): the
    /// reads made through <see cref="BeginReadAsync"/> until it is disposed share one kept connection and one read
    /// transaction, so they see one commit, and SQLite checks once, not once per read, whether its page cache is still
    /// current. Synchronous, so that the ambient snapshot is set in the caller's flow, not in an async method's own.
    /// </summary>
    public IDisposable BeginSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _readers.TryPop(out var kept) ? kept : new KeptReader(OpenAsync().GetAwaiter().GetResult());
        try
        {
            // Deferred: the read transaction starts at the first read, and holds its view until COMMIT.
            reader.Prepared("BEGIN").Execute();
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        var snapshot = new SqliteReadSnapshot(this, reader, CurrentSnapshot.Value);
        CurrentSnapshot.Value = snapshot;
        return snapshot;
    }

    /// <summary>The flow of work that began <paramref name="snapshot"/> leaves it: the one before it (if any) holds again.</summary>
    internal static void LeaveSnapshot(SqliteReadSnapshot snapshot)
    {
        if (CurrentSnapshot.Value == snapshot)
        {
            CurrentSnapshot.Value = snapshot.Outer;
        }
    }

    /// <summary>Ends a snapshot's read transaction and gives its connection back.</summary>
    internal void EndSnapshot(KeptReader reader)
    {
        try
        {
            reader.Prepared("COMMIT").Execute();
        }
        catch
        {
            // A connection whose read transaction could not be ended is not lent again.
            reader.Dispose();
            throw;
        }
        EndRead(reader);
    }

    internal void EndRead(KeptReader reader)
    {
        if (_disposed || _readers.Count >= MaxKeptReaders)
        {
            reader.Dispose();
            return;
        }
        _readers.Push(reader);
        if (_disposed && _readers.TryPop(out var late))
        {
            late.Dispose(); // given back while the database was being disposed
        }
    }

    /// <summary>Closes the writer connection and the kept readers (the pooled ones belong to Microsoft.Data.Sqlite's pool).</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_readers.TryPop(out var reader))
        {
            reader.Dispose();
        }
        // In turn, so a write under way finishes on it first; one still under way after 10 s closes it when it ends.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            using var turn = _writeTurns.WaitAsync(deferrable: false, patience.Token).AsTask().GetAwaiter().GetResult();
            CloseWriter();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The size a WAL file is cut back to when a writer starts it over (<c>journal_size_limit</c>, set on every
    /// connection): 64 MB. Without it the file would keep the size of its largest burst.
    /// </summary>
    public const long WalSizeLimitBytes = 64L * 1024 * 1024;

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
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA journal_size_limit={WalSizeLimitBytes};"
            + (CheckpointsInBackground ? " PRAGMA wal_autocheckpoint=0;" : "");
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        if (connection.Handle is { } configured)
        {
            Configured.AddOrUpdate(configured, Marker);
        }
        return connection;
    }
}
