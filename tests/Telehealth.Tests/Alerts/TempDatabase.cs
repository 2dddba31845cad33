using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Tests.Alerts;

/// <summary>A real SQLite file in a fresh temp folder, deleted after the test.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-alerts-" + Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Database = new SqliteDatabase(Path.Combine(_folder, "alerts.db"));
    }

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
