using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.Tests.Storage;

/// <summary>
/// The embedded database's writer connection (<see cref="SqliteWrite"/>, real SQLite files): one connection for the
/// turn-takers, statements compiled once, nothing half-written after a failure, a broken connection replaced; and the
/// ingest batch queued for evaluation by one statement over the rows it added.
/// </summary>
public sealed class SqliteWriteTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-write-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Writes_share_one_connection_whose_statements_are_compiled_once()
    {
        using var database = await MigratedAsync();
        const string Sql = "INSERT INTO scratch (n) VALUES ($n)";
        await CreateScratchAsync(database);
        SqliteConnection firstConnection;
        SqliteCommand firstStatement;
        await using (var write = await database.BeginWriteAsync())
        {
            firstConnection = write.Connection;
            firstStatement = write.Statement(Sql);
            await firstStatement.Bind("$n", 1).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        await using (var write = await database.BeginWriteAsync())
        {
            Assert.Same(firstConnection, write.Connection);
            var again = write.Statement(Sql);
            Assert.Same(firstStatement, again);
            Assert.Same(write.Transaction, again.Transaction);
            await again.Bind("$n", 2).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        Assert.Equal(new long[] { 1, 2 }, await ScratchAsync(database));
        Assert.Equal((0, 0), database.WriteTurns.Waiting);
    }

    [Fact]
    public async Task A_write_left_uncommitted_is_rolled_back_and_hands_the_turn_on()
    {
        using var database = await MigratedAsync();
        await CreateScratchAsync(database);
        await using (var write = await database.BeginWriteAsync())
        {
            await write.Statement("INSERT INTO scratch (n) VALUES ($n)").Bind("$n", 7).ExecuteNonQueryAsync();
            // No commit: an exception on the way would leave the same way.
        }
        var next = database.BeginWriteAsync().AsTask();
        await using (var write = await next.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await write.Statement("INSERT INTO scratch (n) VALUES ($n)").Bind("$n", 8).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        Assert.Equal(new long[] { 8 }, await ScratchAsync(database));
        var (turns, held) = database.WriteTurns.Totals;
        Assert.Equal(3L, turns); // the scratch table's creation, the rolled-back write, the committed one
        Assert.True(held > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_writer_connection_that_broke_is_replaced_by_the_next_write()
    {
        using var database = await MigratedAsync();
        await CreateScratchAsync(database);
        SqliteConnection broken;
        await using (var write = await database.BeginWriteAsync())
        {
            broken = write.Connection;
            await write.Statement("INSERT INTO scratch (n) VALUES ($n)").Bind("$n", 1).ExecuteNonQueryAsync();
            // As if the connection died under the write: the rollback on the way out fails too.
            write.Connection.Close();
        }
        await using (var write = await database.BeginWriteAsync())
        {
            Assert.NotSame(broken, write.Connection);
            await write.Statement("INSERT INTO scratch (n) VALUES ($n)").Bind("$n", 2).ExecuteNonQueryAsync();
            await write.CommitAsync();
        }
        Assert.Equal(new long[] { 2 }, await ScratchAsync(database));
    }

    /// <summary>
    /// A statement stepped through SQLite's own interface (<see cref="SqliteWrite.Prepared"/>): compiled once on the
    /// writer connection and kept across writes, parameters by position with exact values (NULL included), the change
    /// count telling an inserted row from an ignored one, and a query answering its first column or nothing.
    /// </summary>
    [Fact]
    public async Task A_prepared_statement_is_kept_binds_by_position_and_counts_the_rows_it_changed()
    {
        using var database = await MigratedAsync();
        await CreateTableAsync(database, "CREATE TABLE prepared (k TEXT PRIMARY KEY, v REAL NOT NULL, n INTEGER NOT NULL, note TEXT NULL)");
        const string Insert = "INSERT OR IGNORE INTO prepared (k, v, n, note) VALUES (?1, ?2, ?3, ?4)";
        const string Select = "SELECT v FROM prepared WHERE k = ?1";
        SqliteStatement first;
        await using (var write = await database.BeginWriteAsync())
        {
            first = write.Prepared(Insert);
            Assert.Equal(1, first.Bind(1, "a").Bind(2, 0.1 + 0.2).Bind(3, long.MaxValue).Bind(4, (string?)null).Execute());
            Assert.Equal(0, first.Bind(1, "a").Bind(2, 9.0).Bind(3, 1L).Bind(4, "ignored").Execute()); // the key is taken
            Assert.Equal(0.1 + 0.2, write.Prepared(Select).Bind(1, "a").QueryDouble());
            Assert.Null(write.Prepared(Select).Bind(1, "nobody").QueryDouble());
            await write.CommitAsync();
        }
        await using (var write = await database.BeginWriteAsync())
        {
            Assert.Same(first, write.Prepared(Insert));
            Assert.Equal(1, first.Bind(1, "b").Bind(2, -40.5).Bind(3, 0L).Bind(4, "kept").Execute());
            await write.CommitAsync();
        }

        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT k, v, n, note FROM prepared ORDER BY k";
        var rows = new List<(string, double, long, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetDouble(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        Assert.Equal(new List<(string, double, long, string?)> { ("a", 0.1 + 0.2, long.MaxValue, null), ("b", -40.5, 0L, "kept") }, rows);
    }

    /// <summary>
    /// A prepared statement that fails says why in SQLite's words, and is reset on the way out: the same statement runs
    /// again in the same write, the write commits, and a connection that broke gets its statements compiled anew.
    /// </summary>
    [Fact]
    public async Task A_failing_prepared_statement_says_why_and_stays_usable()
    {
        using var database = await MigratedAsync();
        await CreateTableAsync(database, "CREATE TABLE prepared (k TEXT PRIMARY KEY, v REAL NOT NULL)");
        const string Insert = "INSERT INTO prepared (k, v) VALUES (?1, ?2)";
        SqliteStatement kept;
        await using (var write = await database.BeginWriteAsync())
        {
            kept = write.Prepared(Insert);
            Assert.Equal(1, kept.Bind(1, "a").Bind(2, 1.0).Execute());
            var duplicate = Assert.Throws<SqliteException>(() => kept.Bind(1, "a").Bind(2, 2.0).Execute());
            Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
            Assert.Contains("UNIQUE constraint failed: prepared.k", duplicate.Message, StringComparison.Ordinal);
            Assert.Equal(1, kept.Bind(1, "b").Bind(2, 2.0).Execute());
            Assert.Throws<SqliteException>(() => write.Prepared("INSERT INTO no_such_table (k) VALUES (?1)"));
            await write.CommitAsync();
        }
        await using (var write = await database.BeginWriteAsync())
        {
            Assert.Same(kept, write.Prepared(Insert));
            write.Connection.Close(); // as if the connection died under the write
        }
        await using (var write = await database.BeginWriteAsync())
        {
            var fresh = write.Prepared(Insert);
            Assert.NotSame(kept, fresh);
            Assert.Equal(1, fresh.Bind(1, "c").Bind(2, 3.0).Execute());
            await write.CommitAsync();
        }
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(k, ',') FROM (SELECT k FROM prepared ORDER BY k)";
        Assert.Equal("a,b,c", await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// The batch's queue rows are copied from the rows it stored (those after the newest row before it): repeats of
    /// stored readings, a repeat inside the batch and a conflicting value queue nothing; the new ones are queued once
    /// each, in the batch's order, with their exact values; also after the newest stored row was deleted (retention),
    /// which lets SQLite give its row number again.
    /// </summary>
    [Fact]
    public async Task An_ingest_batch_queues_exactly_the_readings_it_stored_in_order()
    {
        using var database = await MigratedAsync();
        var store = new SqliteReadingStore(database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At));
        var first = Reading("d1", "p1", VitalKind.HeartRate, 72, 0);
        var second = Reading("d1", "p1", VitalKind.BodyTemperature, 0.1 + 0.2, 0);
        Assert.Equal(2, (await store.AppendAsync([first, second])).Count);
        Assert.Equal(2L, await DeleteNewestReadingAsync(database, 1));

        var later = Reading("d2", "p2", VitalKind.RespiratoryRate, 18, 1);
        var conflicting = first with { Value = 73 };
        var result = await store.AppendAsync([first, later, conflicting, later, Reading("d1", "p1", VitalKind.HeartRate, 74, 2), second]);
        Assert.Equal(3, result.Count); // later, the reading at second 2, and second (deleted above, so new again)
        Assert.Equal(new[] { conflicting }, result.Conflicts);

        var queued = await QueuedAsync(database);
        Assert.Equal(
            new List<(string, string, string, double)>
            {
                ("p1", "d1", VitalKind.HeartRate.WireName(), 72.0),
                ("p1", "d1", VitalKind.BodyTemperature.WireName(), 0.1 + 0.2),
                ("p2", "d2", VitalKind.RespiratoryRate.WireName(), 18.0),
                ("p1", "d1", VitalKind.HeartRate.WireName(), 74.0),
            },
            queued);
    }

    private static Reading Reading(string device, string patient, VitalKind kind, double value, int second) =>
        new(device, patient, kind, value, At.AddSeconds(second), At.AddSeconds(second).AddMilliseconds(200));

    /// <summary>Deletes the newest stored reading (the row SQLite numbered last); returns the number it had.</summary>
    private static async Task<long> DeleteNewestReadingAsync(SqliteDatabase database, int count)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(rowid) FROM vital_readings";
        var newest = (long)(await command.ExecuteScalarAsync())!;
        command.CommandText = $"DELETE FROM vital_readings WHERE rowid > {newest - count}";
        await command.ExecuteNonQueryAsync();
        return newest;
    }

    private static async Task<List<(string Patient, string Device, string Kind, double Value)>> QueuedAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT patient_id, device_id, name, value, item_kind FROM evaluation_queue ORDER BY seq";
        var rows = new List<(string, string, string, double)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Assert.Equal("reading", reader.GetString(4));
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3)));
        }
        return rows;
    }

    private static Task CreateScratchAsync(SqliteDatabase database) => CreateTableAsync(database, "CREATE TABLE scratch (n INTEGER NOT NULL)");

    private static async Task CreateTableAsync(SqliteDatabase database, string sql)
    {
        await using var write = await database.BeginWriteAsync();
        await using var create = write.Connection.CreateCommand();
        create.Transaction = write.Transaction;
        create.CommandText = sql;
        await create.ExecuteNonQueryAsync();
        await write.CommitAsync();
    }

    private static async Task<List<long>> ScratchAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT n FROM scratch ORDER BY rowid";
        var values = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetInt64(0));
        }
        return values;
    }

    private async Task<SqliteDatabase> MigratedAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "write.db"));
        await new SqliteMigrator(database, TimeProvider.System).MigrateAsync();
        return database;
    }
}
