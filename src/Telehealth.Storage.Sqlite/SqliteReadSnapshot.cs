using Telehealth.Contracts.Storage;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// A read snapshot (<see cref="SqliteDatabase.BeginSnapshot"/>): one kept reader connection in one read transaction,
/// lent to one read at a time on the flow of work that began it. Dispose it to end the transaction and give the
/// connection back.
/// </summary>
internal sealed class SqliteReadSnapshot(SqliteDatabase database, KeptReader reader, SqliteReadSnapshot? outer) : IDisposable
{
    private const int Free = 0;
    private const int Lent = 1;
    private const int Ending = -1;

    private int _connection = Free;
    private int _disposed;

    public SqliteDatabase Database { get; } = database;

    /// <summary>The snapshot that was current when this one began (snapshots nest, though nothing nests them today).</summary>
    public SqliteReadSnapshot? Outer { get; } = outer;

    /// <summary>
    /// The snapshot's connection for one read, or null while another read has it or once the snapshot is ending: two
    /// reads must never use one connection at once (its kept commands and statements are not safe for that).
    /// </summary>

    public SqliteRead? TryLend() =>
        Interlocked.CompareExchange(ref _connection, Lent, Free) == Free ? new SqliteRead(Database, reader, this) : null;

    /// <summary>A read lent by <see cref="TryLend"/> has ended; when the snapshot was disposed meanwhile, it ends now.</summary>
    public void Return()
    {
        Volatile.Write(ref _connection, Free);
        if (Volatile.Read(ref _disposed) == 1)
        {
            EndWhenFree();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            SqliteDatabase.LeaveSnapshot(this);
            EndWhenFree();
        }
    }

    /// <summary>Ends the read transaction and gives the connection back, unless a read still has it (its return ends it).</summary>
    private void EndWhenFree()
    {
        if (Interlocked.CompareExchange(ref _connection, Ending, Free) == Free)
        {
            Database.EndSnapshot(reader);
        }
    }
}

/// <summary>The embedded database's read snapshots (<see cref="IReadSnapshots"/>), for the alert engine's decisions.</summary>
public sealed class SqliteReadSnapshots(SqliteDatabase database) : IReadSnapshots
{
    public IDisposable Begin() => database.BeginSnapshot();
}
