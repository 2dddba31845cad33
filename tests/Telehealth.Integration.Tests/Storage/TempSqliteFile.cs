using Microsoft.Data.Sqlite;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>A database file of its own for one test, deleted (with its WAL files) afterwards.</summary>
internal sealed class TempSqliteFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "telehealth-tests", $"{Guid.NewGuid():N}.db");

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
