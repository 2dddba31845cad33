using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// One of the database's kept reader connections, lent for the reads of one call (<see cref="SqliteDatabase.BeginReadAsync"/>);
/// dispose it to give it back. Its statements are compiled once and kept (<see cref="Statement"/>).
/// </summary>
/// <remarks>
/// Why: an evaluation decides each person with about ten reads, and Microsoft.Data.Sqlite compiles a command's SQL again
/// for every new command; compiling was 6 % of the embedded bench's CPU, more than running those reads.
/// </remarks>
public sealed class SqliteRead : IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly KeptReader _reader;
    private readonly SqliteReadSnapshot? _snapshot;
    private bool _disposed;

    internal SqliteRead(SqliteDatabase database, KeptReader reader, SqliteReadSnapshot? snapshot = null)
    {
        _database = database;
        _reader = reader;
        _snapshot = snapshot;
    }

    /// <summary>
    /// This connection's command for <paramref name="sql"/>, compiled on first use and kept: bind every parameter with
    /// <see cref="SqliteCommandBinding.Bind"/> before each execution, dispose its data reader (which lets the snapshot
    /// go), never the command.
    /// </summary>
    public SqliteCommand Statement(string sql) => _reader.Statement(sql);

    /// <summary>
    /// This connection's <see cref="SqliteStatement"/> for <paramref name="sql"/> (parameters by position), compiled on
    /// first use and kept: for the reads made for every person in every pass. Its reads reset it, so the snapshot goes.
    /// </summary>
    public SqliteStatement Prepared(string sql) => _reader.Prepared(sql);

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_snapshot is not null)
            {
                _snapshot.Return();
            }
            else
            {
                _database.EndRead(_reader);
            }
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>A reader connection kept open with its compiled statements (used by one caller at a time).</summary>
internal sealed class KeptReader(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _prepared = new(StringComparer.Ordinal);

    public SqliteStatement Prepared(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(connection.Handle!, sql);
            _prepared.Add(sql, statement);
        }
        return statement;
    }

    public SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _statements.Clear();
        foreach (var statement in _prepared.Values)
        {
            statement.Dispose();
        }
        _prepared.Clear();
        connection.Dispose();
    }
}
