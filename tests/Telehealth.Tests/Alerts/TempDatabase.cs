using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// A real SQLite file in a fresh temp folder, deleted after the test; migrated to the current schema as the platform
/// does at start, unless <c>migrate</c> is false (a test that builds an older database first).
/// </summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telehealth-alerts-" + Guid.NewGuid().ToString("N"));

    public TempDatabase(bool migrate = true)
    {
        Database = new SqliteDatabase(Path.Combine(_folder, "alerts.db"));
        if (migrate)
        {
            // Microsoft.Data.Sqlite completes its async calls synchronously, so waiting here cannot deadlock.
            new SqliteMigrator(Database, TimeProvider.System).MigrateAsync().GetAwaiter().GetResult();
        }
    }

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
