using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// A statement compiled once on a kept connection and run through SQLite's own interface: parameters bound by
/// position, stepped and reset, without a command, a data reader or a parameter collection around it
/// (<see cref="SqliteWrite.Prepared"/>). For the statements run once per reading inside the write turn.
/// </summary>
/// <remarks>
/// Why not a kept <see cref="SqliteCommand"/>: Microsoft.Data.Sqlite looks each parameter up by name, boxes its value
/// and builds a data reader on every execution. For the ingest batch's one INSERT per reading that came to about
/// 20 µs per reading inside the write turn, where the whole path has 50 µs per reading at 20,000 readings/s
/// (bench/RESULTS.md). Every use resets the statement, so it never holds a cursor open between uses.
/// </remarks>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    internal SqliteStatement(sqlite3 database, string sql)
    {
        _database = database;
        var result = raw.sqlite3_prepare_v2(database, sql, out _statement);
        SqliteException.ThrowExceptionForRC(result, database);
    }

    /// <summary>Binds a text parameter (1-based position; null binds NULL).</summary>
    public SqliteStatement Bind(int position, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text(_statement, position, value));
        return this;
    }

    public SqliteStatement Bind(int position, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, position, value));
        return this;
    }

    public SqliteStatement Bind(int position, double value)
    {
        Check(raw.sqlite3_bind_double(_statement, position, value));
        return this;
    }

    /// <summary>Runs a statement that returns no rows; answers how many rows it inserted, updated or deleted.</summary>
    public int Execute()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result != raw.SQLITE_DONE)
            {
                Fail(result);
            }
            return raw.sqlite3_changes(_database);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first column of the first row as a REAL; null when there is no row or the column is NULL.</summary>
    public double? QueryDouble()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_DONE)
            {
                return null;
            }
            if (result != raw.SQLITE_ROW)
            {
                Fail(result);
            }
            return raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(_statement, 0);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Steps to the first row and reads it with <paramref name="read"/> (columns by position: <see cref="Text"/>,
    /// <see cref="Real"/>, <see cref="Integer"/>); false when there is none. Reset either way, so a reader connection
    /// holds no snapshot after it.
    /// </summary>
    public bool TryReadFirst<T>(Func<SqliteStatement, T> read, out T row)
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_DONE)
            {
                row = default!;
                return false;
            }
            if (result != raw.SQLITE_ROW)
            {
                Fail(result);
            }
            row = read(this);
            return true;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Steps through every row, reading each with <paramref name="read"/> (columns by position), and resets the
    /// statement at the end or on failure, so a reader connection holds no snapshot after it.
    /// </summary>
    public List<T> ReadAll<T>(Func<SqliteStatement, T> read)
    {
        var rows = new List<T>();
        try
        {
            while (true)
            {
                var result = raw.sqlite3_step(_statement);
                if (result == raw.SQLITE_DONE)
                {
                    return rows;
                }
                if (result != raw.SQLITE_ROW)
                {
                    Fail(result);
                }
                rows.Add(read(this));
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Whether a column of the row stepped to is NULL.</summary>
    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>A column of the row stepped to, as text (null for NULL).</summary>
    public string? Text(int column) =>
        IsNull(column) ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public double Real(int column) => raw.sqlite3_column_double(_statement, column);

    public long Integer(int column) => raw.sqlite3_column_int64(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            Fail(result);
        }
    }

    private void Fail(int result)
    {
        SqliteException.ThrowExceptionForRC(result, _database);
        throw new SqliteException($"SQLite answered {result}.", result);
    }
}
