using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>A database file of its own for one test, deleted (with its WAL files) afterwards.</summary>
internal sealed class TempSqliteFile : IDisposable
{
    private readonly Lazy<SqliteDatabase> _database;

    public TempSqliteFile()
    {
        // Microsoft.Data.Sqlite completes its async calls synchronously, so waiting here cannot deadlock.
        _database = new(() =>
        {
            var database = new SqliteDatabase(Path);
            new SqliteMigrator(database, TimeProvider.System).MigrateAsync().GetAwaiter().GetResult();
            return database;
        });
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "telehealth-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>The file as the platform opens it: migrated to the current schema (the first use migrates).</summary>
    public SqliteDatabase Database => _database.Value;

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
