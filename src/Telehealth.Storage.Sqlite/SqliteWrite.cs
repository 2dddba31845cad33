using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// One write transaction (BEGIN IMMEDIATE) in this process's write turn, on the database's one writer connection
/// (<see cref="SqliteDatabase.BeginWriteAsync"/>). Dispose it to roll back what was not committed and hand the turn on.
/// </summary>
/// <remarks>
/// Why one connection for the bulk writers: the turn already lets one writer in at a time, and a connection that does
/// every such write keeps what it learned. Its statements are compiled once (<see cref="Statement"/>): Microsoft.Data.Sqlite
/// compiles a command's SQL again for every new command, and compiling was a larger share of the evaluation pass's
/// commit than running it. Its page cache stays valid from one write to the next, where a pooled connection that
/// another had written behind starts each transaction by reading the pages it needs again.
/// </remarks>
public sealed class SqliteWrite : IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly IDisposable _turn;
    private bool _committed;
    private bool _disposed;

    internal SqliteWrite(SqliteDatabase database, IDisposable turn, SqliteConnection connection, SqliteTransaction transaction)
    {
        _database = database;
        _turn = turn;
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The writer connection: for commands used once (create them with <see cref="SqliteConnection.CreateCommand"/> and dispose them).</summary>
    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    /// <summary>
    /// The writer connection's command for <paramref name="sql"/>, compiled on first use and kept: bind every parameter
    /// with <see cref="SqliteCommandBinding.Bind"/> before each execution (values stay from the last one), never dispose it.
    /// </summary>
    public SqliteCommand Statement(string sql) => _database.WriterStatement(sql, Transaction);

    /// <summary>
    /// The writer connection's <see cref="SqliteStatement"/> for <paramref name="sql"/> (parameters by position: ?1, ?2 …),
    /// compiled on first use and kept: for statements run once per reading. Bind every parameter before each run; never dispose it.
    /// </summary>
    public SqliteStatement Prepared(string sql) => _database.WriterPrepared(sql);

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        var healthy = true;
        try
        {
            if (!_committed)
            {
                await Transaction.RollbackAsync();
            }
        }
        catch (Exception)
        {
            // A connection that cannot roll back (the disk went away, the file was replaced) is not used again: the
            // next write opens a fresh one. The caller's own exception is the one that tells what happened.
            healthy = false;
        }
        finally
        {
            await Transaction.DisposeAsync();
            _database.EndWrite(healthy);
            _turn.Dispose();
        }
    }
}

/// <summary>Binding values to a kept command's parameters by name (added on first use, then replaced).</summary>
public static class SqliteCommandBinding
{
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
        return command;
    }
}
