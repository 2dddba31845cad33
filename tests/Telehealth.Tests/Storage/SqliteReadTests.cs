using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.Tests.Storage;

/// <summary>
/// The embedded database's kept reader connections (<see cref="SqliteRead"/>, real SQLite files): statements compiled
/// once per connection, as many connections as readers at once, at most <see cref="SqliteDatabase.MaxKeptReaders"/> kept,
/// and a kept reader holds no snapshot that would keep the WAL from being started over.
/// </summary>
public sealed class SqliteReadTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-read-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_reader_given_back_is_lent_again_with_its_statements_compiled()
    {
        using var database = await MigratedAsync();
        const string Sql = "SELECT $n + 1";
        SqliteCommand first;
        await using (var read = await database.BeginReadAsync())
        {
            first = read.Statement(Sql);
            Assert.Equal(2L, await first.Bind("$n", 1).ExecuteScalarAsync());
        }
        await using (var read = await database.BeginReadAsync())
        {
            var again = read.Statement(Sql);
            Assert.Same(first, again);
            Assert.Equal(11L, await again.Bind("$n", 10).ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Readers_at_once_each_have_a_connection_and_only_the_bound_are_kept()
    {
        using var database = await MigratedAsync();
        const string Sql = "SELECT 1";
        var reads = new List<SqliteRead>();
        var statements = new HashSet<SqliteCommand>();
        for (var i = 0; i < SqliteDatabase.MaxKeptReaders + 3; i++)
        {
            var read = await database.BeginReadAsync();
            reads.Add(read);
            statements.Add(read.Statement(Sql));
        }
        Assert.Equal(SqliteDatabase.MaxKeptReaders + 3, statements.Count);
        foreach (var read in reads)
        {
            await read.DisposeAsync();
        }
        // Lent again: only the kept ones come back with their statement; the others were closed.
        var again = new List<SqliteRead>();
        var reused = 0;
        for (var i = 0; i < SqliteDatabase.MaxKeptReaders + 3; i++)
        {
            var read = await database.BeginReadAsync();
            again.Add(read);
            reused += statements.Contains(read.Statement(Sql)) ? 1 : 0;
        }
        Assert.Equal(SqliteDatabase.MaxKeptReaders, reused);
        foreach (var read in again)
        {
            await read.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_kept_reader_holds_no_snapshot_so_the_wal_can_be_started_over()
    {
        using var database = await MigratedAsync();
        await using (var write = await database.BeginWriteAsync())
        {
            await using var create = write.Connection.CreateCommand();
            create.Transaction = write.Transaction;
            create.CommandText = "CREATE TABLE scratch (n INTEGER NOT NULL); INSERT INTO scratch VALUES (1), (2), (3);";
            await create.ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        await using (var read = await database.BeginReadAsync())
        {
            await using var reader = await read.Statement("SELECT n FROM scratch ORDER BY n").ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync()); // read one row of three, then let go
        }
        await using (var write = await database.BeginWriteAsync())
        {
            await write.Statement("INSERT INTO scratch VALUES ($n)").Bind("$n", 4).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        await using var connection = await database.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(RESTART)";
        await using var result = await checkpoint.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(0L, result.GetInt64(0)); // not busy: no reader kept an older snapshot
        Assert.Equal(result.GetInt64(1), result.GetInt64(2)); // every frame of the WAL copied back
    }

    /// <summary>
    /// A reader's <see cref="SqliteStatement"/> (what the evaluation's latest-reading-of-each-kind read uses): kept with
    /// the connection, reads the first row with exact values or says there is none, and is reset after reading one row
    /// of several, so the reader holds no snapshot and the WAL can still be started over.
    /// </summary>
    [Fact]
    public async Task A_readers_prepared_statement_is_kept_reads_exact_values_and_lets_the_snapshot_go()
    {
        using var database = await MigratedAsync();
        await using (var write = await database.BeginWriteAsync())
        {
            await using var create = write.Connection.CreateCommand();
            create.Transaction = write.Transaction;
            create.CommandText = "CREATE TABLE scratch (n INTEGER NOT NULL, v REAL NOT NULL, t TEXT NULL); INSERT INTO scratch VALUES (1, 0.1, 'one'), (2, 0.2, NULL), (3, 0.30000000000000004, 'three');";
            await create.ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        const string Sql = "SELECT n, v, t FROM scratch WHERE n >= ?1 ORDER BY n";
        SqliteStatement first;
        await using (var read = await database.BeginReadAsync())
        {
            first = read.Prepared(Sql);
            Assert.True(first.Bind(1, 3L).TryReadFirst(row => (row.Integer(0), row.Real(1), row.Text(2)), out var third));
            Assert.Equal((3L, 0.1 + 0.2, "three"), third);
            Assert.True(first.Bind(1, 2L).TryReadFirst(row => (row.Integer(0), row.Real(1), row.Text(2)), out var second)); // one row of two
            Assert.Equal((2L, 0.2, (string?)null), second);
            Assert.False(first.Bind(1, 4L).TryReadFirst(row => row.Integer(0), out _));
        }
        await using (var read = await database.BeginReadAsync())
        {
            Assert.Same(first, read.Prepared(Sql));
            Assert.True(first.Bind(1, 1L).TryReadFirst(row => row.Integer(0), out var one)); // one row of three, then let go
            Assert.Equal(1L, one);
        }
        await using (var write = await database.BeginWriteAsync())
        {
            await write.Statement("INSERT INTO scratch VALUES ($n, 0.4, NULL)").Bind("$n", 4).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        await using var connection = await database.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(RESTART)";
        await using var result = await checkpoint.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(0L, result.GetInt64(0)); // not busy: the stepped statement was reset
        Assert.Equal(result.GetInt64(1), result.GetInt64(2));
    }

    /// <summary>
    /// <see cref="SqliteStatement.ReadAll"/> (what a decision's reads of several rows use): every row in order with
    /// exact values and NULLs told apart, none for no match, and reset even when reading a row throws, so the reader
    /// holds no snapshot and the WAL can still be started over.
    /// </summary>
    [Fact]
    public async Task A_prepared_statement_reads_every_row_exactly_and_is_reset_even_when_a_row_fails()
    {
        using var database = await MigratedAsync();
        await using (var write = await database.BeginWriteAsync())
        {
            await using var create = write.Connection.CreateCommand();
            create.Transaction = write.Transaction;
            create.CommandText = "CREATE TABLE scratch (n INTEGER NOT NULL, v REAL NULL, t TEXT NULL); INSERT INTO scratch VALUES (1, 0.1, 'one'), (2, NULL, NULL), (3, 0.30000000000000004, 'three');";
            await create.ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        await using (var read = await database.BeginReadAsync())
        {
            var statement = read.Prepared("SELECT n, v, t FROM scratch WHERE n >= ?1 ORDER BY n");
            var rows = statement.Bind(1, 1L).ReadAll(row => (row.Integer(0), row.IsNull(1) ? (double?)null : row.Real(1), row.Text(2)));
            Assert.Equal([(1L, 0.1, "one"), (2L, null, null), (3L, 0.1 + 0.2, "three")], rows);
            Assert.Empty(statement.Bind(1, 4L).ReadAll(row => row.Integer(0)));
            var failure = Assert.Throws<InvalidDataException>(() => statement.Bind(1, 1L).ReadAll<long>(row => row.Integer(0) == 2 ? throw new InvalidDataException("row 2") : row.Integer(0)));
            Assert.Equal("row 2", failure.Message);
            Assert.Equal([2L, 3L], statement.Bind(1, 2L).ReadAll(row => row.Integer(0))); // usable again
            Assert.Throws<InvalidDataException>(() => statement.Bind(1, 1L).ReadAll<long>(_ => throw new InvalidDataException("first row")));
        }
        await using (var write = await database.BeginWriteAsync())
        {
            await write.Statement("INSERT INTO scratch VALUES ($n, NULL, NULL)").Bind("$n", 4).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        var (busy, log, copied) = await CheckpointAsync(database, "RESTART");
        Assert.Equal(0L, busy); // the statement that threw was reset
        Assert.Equal(log, copied);
    }

    /// <summary>
    /// A read snapshot (<see cref="SqliteDatabase.BeginSnapshot"/>, what a decision reads a person's record in): every
    /// read in it sees the commit its first read saw, even after a later commit; while it lasts the WAL cannot be copied
    /// back past that commit; once it ends, reads see the latest commit and the WAL can be started over. A read that
    /// fails inside it leaves it usable.
    /// </summary>
    [Fact]
    public async Task A_snapshot_reads_one_commit_until_it_ends_and_then_lets_the_wal_go()
    {
        using var database = await ScratchAsync();
        using (database.BeginSnapshot())
        {
            Assert.Equal(1L, await MaxAsync(database));
            await InsertAsync(database, 2);
            Assert.Equal(1L, await MaxAsync(database)); // the snapshot's commit, not the latest
            await using (var read = await database.BeginReadAsync())
            {
                var failure = Assert.Throws<SqliteException>(() => read.Prepared("SELECT n FROM nowhere"));
                Assert.Contains("no such table: nowhere", failure.Message, StringComparison.Ordinal);
            }
            Assert.Equal(1L, await MaxAsync(database));
            var (busy, log, copied) = await CheckpointAsync(database, "PASSIVE");
            Assert.Equal(0L, busy);
            Assert.True(copied < log, $"{copied} of {log} frames copied back while the snapshot held an older commit");
        }
        Assert.Equal(2L, await MaxAsync(database));
        var (busyAfter, logAfter, copiedAfter) = await CheckpointAsync(database, "RESTART");
        Assert.Equal(0L, busyAfter); // the snapshot's read transaction ended with it
        Assert.Equal(logAfter, copiedAfter);
    }

    /// <summary>
    /// The snapshot's one connection is lent to one read at a time: a read begun while another of the snapshot is still
    /// open is served outside it (and sees the latest commit), and the next read after that one ends is in it again.
    /// A flow of work begun before the snapshot is not in it.
    /// </summary>
    [Fact]
    public async Task Reads_side_by_side_in_a_snapshot_take_its_connection_in_turn_and_other_flows_are_outside_it()
    {
        using var database = await ScratchAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var earlierFlow = Task.Run(async () =>
        {
            await release.Task;
            return await MaxAsync(database);
        });
        using (database.BeginSnapshot())
        {
            await using (var first = await database.BeginReadAsync())
            {
                var statement = first.Prepared("SELECT MAX(n) FROM scratch");
                Assert.Equal(1.0, statement.QueryDouble());
                await InsertAsync(database, 2);
                Assert.Equal(2L, await MaxAsync(database)); // begun while the first is open: outside the snapshot
                Assert.Equal(1.0, statement.QueryDouble());
            }
            Assert.Equal(1L, await MaxAsync(database)); // the first has ended: in the snapshot again
            release.SetResult();
            Assert.Equal(2L, await earlierFlow);
            Assert.Equal(1L, await MaxAsync(database));
        }
        Assert.Equal(2L, await MaxAsync(database));
    }

    private async Task<SqliteDatabase> ScratchAsync()
    {
        var database = await MigratedAsync();
        await using var write = await database.BeginWriteAsync();
        await using var create = write.Connection.CreateCommand();
        create.Transaction = write.Transaction;
        create.CommandText = "CREATE TABLE scratch (n INTEGER NOT NULL); INSERT INTO scratch VALUES (1);";
        await create.ExecuteNonQueryAsync();
        await write.CommitAsync();
        return database;
    }

    private static async Task<long> MaxAsync(SqliteDatabase database)
    {
        await using var read = await database.BeginReadAsync();
        return (long)read.Prepared("SELECT MAX(n) FROM scratch").QueryDouble()!.Value;
    }

    private static async Task InsertAsync(SqliteDatabase database, int n)
    {
        await using var write = await database.BeginWriteAsync();
        await write.Statement("INSERT INTO scratch VALUES ($n)").Bind("$n", n).ExecuteNonQueryAsync();
        await write.CommitAsync();
    }

    private static async Task<(long Busy, long Log, long Copied)> CheckpointAsync(SqliteDatabase database, string mode)
    {
        await using var connection = await database.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var result = await checkpoint.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        return (result.GetInt64(0), result.GetInt64(1), result.GetInt64(2));
    }

    private async Task<SqliteDatabase> MigratedAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "read.db"));
        await new SqliteMigrator(database, TimeProvider.System).MigrateAsync();
        return database;
    }
}
