using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Operations;

/// <summary>
/// A care-record database this build cannot use stops the real process at start with exit code 2 and one line naming
/// the data-folder setting, and is left exactly as it was found.
/// </summary>
public sealed class DatabaseRefusalTests
{
    [Fact]
    public async Task A_database_newer_than_this_build_stops_the_start_with_one_line()
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "telehealth.db");
        Execute(file, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL); INSERT INTO schema_migrations VALUES (999, 'later', 0);");

        var errors = await StartAndCollectErrorsAsync(folder);

        Assert.Equal(
            [$"[err] Cannot open the care record: The database {file} has schema version 999, newer than this build knows ({SqliteMigrations.Latest}): run the newer build, or set Storage:DataDirectory to another folder."],
            errors);
        Assert.Equal(1L, Scalar(file, "SELECT COUNT(*) FROM schema_migrations"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_database_from_before_versioning_in_an_unknown_shape_stops_the_start_with_one_line_and_is_not_touched()
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "telehealth.db");
        Execute(file, "CREATE TABLE patients (id TEXT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO patients VALUES ('p1', 'x');");

        var errors = await StartAndCollectErrorsAsync(folder);

        var line = Assert.Single(errors);
        Assert.StartsWith($"[err] Cannot open the care record: The database {file} was made before schema versioning and does not match the baseline (patients lacks column ", line, StringComparison.Ordinal);
        Assert.EndsWith("move it out of the folder, or set Storage:DataDirectory to an empty folder, and start again.", line, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(file, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'"));
        Assert.Equal(1L, Scalar(file, "SELECT COUNT(*) FROM patients"));
        Directory.Delete(folder, recursive: true);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "telehealth-refusal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<string[]> StartAndCollectErrorsAsync(string dataDirectory)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Telehealth.Clinician.Web.dll");
        await using var process = ManagedProcess.Start("dotnet", [
            host, "--Urls", "http://127.0.0.1:0", "--Mqtt:Embedded:Port", "0", "--Storage:DataDirectory", dataDirectory,
        ], workingDirectory: AppContext.BaseDirectory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.DoesNotContain("   at ", process.OutputTail, StringComparison.Ordinal);
        return process.OutputTail.Split(Environment.NewLine).Where(line => line.StartsWith("[err] ", StringComparison.Ordinal)).ToArray();
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
