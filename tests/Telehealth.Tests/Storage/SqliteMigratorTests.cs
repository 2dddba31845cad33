using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Contracts.Storage;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage;

/// <summary>The one migration mechanism of the SQLite care record, on real database files.</summary>
public sealed class SqliteMigratorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);
    private static readonly SqliteMigration Baseline = SqliteMigrations.All[0];
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly TempDatabase _temp = new(migrate: false);

    public void Dispose() => _temp.Dispose();

    private SqliteMigrator Migrator(params SqliteMigration[] migrations) =>
        new(_temp.Database, _clock, migrations.Length == 0 ? null : migrations);

    private static readonly string[] BaselineTables =
    [
        "alert_event_cursors", "alert_events", "alerts", "consciousness_observations", "device_assignments", "devices",
        "escalation_timers", "evaluation_queue", "fhir_outbox", "news2_assessments", "notification_outbox",
        "patient_care_settings_history", "patient_threshold_history", "patient_thresholds", "patients", "rejection_counts",
        "rejections", "rule_states", "rule_wakeups", "sign_in_failures", "staff_users", "team_rotas", "telecare_events",
        "vital_readings",
    ];

    /// <summary>The tables at the newest version: the baseline's, with migration 2's one outbox for the two it replaced, the monitoring plans (migration 4) and the staff workspace's teams, contacts and audit (migration 5), goals and care plans (migration 7), and work leases (migration 8).</summary>
    private static readonly string[] CurrentTables =
        [.. BaselineTables.Except(["fhir_outbox", "notification_outbox"]).Append("outbox").Append("monitoring_plan_history").Append("monitoring_plans")
            .Append("teams").Append("patient_contacts").Append("audit_log")
            .Append("care_plans").Append("care_goals").Append("care_plan_history")
            .Append("work_leases")
            .Append("schema_migrations").Order(StringComparer.Ordinal)];

    [Fact]
    public void The_embedded_migrations_are_numbered_from_1_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Count), SqliteMigrations.All.Select(m => m.Version));
        Assert.Equal("baseline", Baseline.Name);
        Assert.Equal(SqliteMigrations.All.Count, SqliteMigrations.Latest);
    }

    [Fact]
    public void A_gap_or_repeat_in_the_numbering_is_refused()
    {
        var gap = Assert.Throws<InvalidOperationException>(() => SqliteMigrations.Validate([Baseline, new SqliteMigration(3, "three", "SELECT 1")]));
        Assert.Contains("expected 2", gap.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SqliteMigrations.Validate([Baseline, Baseline]));
        Assert.Throws<InvalidOperationException>(() => SqliteMigrations.Validate([]));
    }

    [Fact]
    public async Task A_fresh_database_gets_every_migration_once_each_recorded_with_its_name_and_time()
    {
        var report = await Migrator().MigrateAsync();

        Assert.Equal((0, SqliteMigrations.Latest, false), (report.FromVersion, report.ToVersion, report.Adopted));
        Assert.Equal(SqliteMigrations.All.Select(m => m.Version), report.Applied);
        Assert.Equal(SqliteMigrations.All.Select(m => (m.Version, m.Name, Start.ToUnixTimeMilliseconds())), await RecordedAsync());
        Assert.Equal(CurrentTables, await TablesAsync());
    }

    [Fact]
    public async Task Running_again_changes_nothing()
    {
        await Migrator().MigrateAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        var tablesBefore = await TablesAsync();

        var again = await Migrator().MigrateAsync();

        Assert.Empty(again.Applied);
        Assert.False(again.Adopted);
        Assert.Equal((SqliteMigrations.Latest, SqliteMigrations.Latest), (again.FromVersion, again.ToVersion));
        Assert.Equal(SqliteMigrations.All.Select(m => (m.Version, m.Name, Start.ToUnixTimeMilliseconds())), await RecordedAsync());
        Assert.Equal(tablesBefore, await TablesAsync());
    }

    [Fact]
    public async Task A_new_migration_is_applied_once_after_the_ones_already_there()
    {
        await Migrator(Baseline).MigrateAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        var next = new SqliteMigration(2, "add_notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");

        var report = await Migrator(Baseline, next).MigrateAsync();
        var again = await Migrator(Baseline, next).MigrateAsync();

        Assert.Equal((1, 2), (report.FromVersion, report.ToVersion));
        Assert.Equal([2], report.Applied);
        Assert.Empty(again.Applied);
        Assert.Equal(
            [(1, "baseline", Start.ToUnixTimeMilliseconds()), (2, "add_notes", Start.AddHours(1).ToUnixTimeMilliseconds())],
            await RecordedAsync());
        Assert.Contains("notes", await TablesAsync());
    }

    [Fact]
    public async Task A_migration_that_fails_leaves_nothing_of_itself_and_is_not_recorded()
    {
        await Migrator(Baseline).MigrateAsync();
        var broken = new SqliteMigration(2, "broken", "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);");

        await Assert.ThrowsAsync<SqliteException>(() => Migrator(Baseline, broken).MigrateAsync());

        Assert.DoesNotContain("half_done", await TablesAsync());
        Assert.Equal([(1, "baseline", Start.ToUnixTimeMilliseconds())], await RecordedAsync());
    }

    [Fact]
    public async Task A_database_from_before_versioning_with_the_baseline_shape_is_adopted_keeping_its_rows()
    {
        await SqliteTestSql.ExecuteAsync(_temp.Database, Baseline.Sql + """
            INSERT INTO alerts VALUES ('a1', 'pat-1', 'spo2', 'i1', 2, 'raised', 1, 1, 1, '{}');
            """);

        var report = await Migrator().MigrateAsync();

        Assert.True(report.Adopted);
        Assert.Equal((0, SqliteMigrations.Latest), (report.FromVersion, report.ToVersion));
        Assert.Equal(1, report.Applied[0]);
        Assert.Equal(1, await SqliteTestSql.ScalarAsync(_temp.Database, "SELECT COUNT(*) FROM alerts WHERE id = 'a1'"));
        Assert.Equal((1, "baseline", Start.ToUnixTimeMilliseconds()), (await RecordedAsync())[0]);
    }

    [Fact]
    public async Task An_older_database_is_brought_to_the_baseline_first_devices_gain_their_later_columns_and_an_assignment()
    {
        await SqliteTestSql.ExecuteAsync(_temp.Database, """
            CREATE TABLE devices (
                device_id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, type TEXT NOT NULL, secret_salt BLOB NOT NULL,
                secret_hash BLOB NOT NULL, registered_at_ms INTEGER NOT NULL, last_seen_at_ms INTEGER NULL, battery_percent INTEGER NULL);
            INSERT INTO devices VALUES ('dev-1', 'pat-1', 'pulse_oximeter', x'00', x'00', 1, NULL, NULL);
            """);

        var report = await Migrator().MigrateAsync();

        Assert.True(report.Adopted);
        Assert.Equal(1, await SqliteTestSql.ScalarAsync(_temp.Database, "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = 'broker_hash'"));
        Assert.Equal(1, await SqliteTestSql.ScalarAsync(_temp.Database, "SELECT assigned FROM devices WHERE device_id = 'dev-1'"));
        Assert.Equal(1, await SqliteTestSql.ScalarAsync(_temp.Database,
            "SELECT COUNT(*) FROM device_assignments WHERE device_id = 'dev-1' AND patient_id = 'pat-1' AND from_ms IS NULL AND to_ms IS NULL"));
        Assert.Equal(CurrentTables, await TablesAsync());
    }

    [Fact]
    public async Task A_database_from_before_versioning_in_another_shape_is_refused_with_one_line_and_left_as_it_was()
    {
        await SqliteTestSql.ExecuteAsync(_temp.Database, """
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, condition_key TEXT NOT NULL, incident_id TEXT NOT NULL,
                severity INTEGER NOT NULL, status TEXT NOT NULL, raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                respond_by INTEGER NOT NULL, colour TEXT NULL);
            INSERT INTO alerts VALUES ('a1', 'pat-1', 'spo2', 'i1', 2, 'raised', 1, 1, 1, 'red');
            """);

        var refused = await Assert.ThrowsAsync<DatabaseSchemaException>(() => Migrator().MigrateAsync());

        Assert.Equal(
            $"The database {_temp.Database.Path} was made before schema versioning and does not match the baseline " +
            "(alerts lacks column 'alert_json TEXT NOT NULL'; alerts has unexpected column 'colour TEXT'): " +
            "move it out of the folder, or set Storage:DataDirectory to an empty folder, and start again.",
            refused.Message);
        Assert.Equal(["alerts"], await TablesAsync());
        Assert.Equal(1, await SqliteTestSql.ScalarAsync(_temp.Database, "SELECT COUNT(*) FROM alerts"));
    }

    [Fact]
    public async Task A_database_at_a_version_newer_than_this_build_is_refused_with_one_line_and_left_as_it_was()
    {
        await Migrator().MigrateAsync();
        await SqliteTestSql.ExecuteAsync(_temp.Database, "INSERT INTO schema_migrations VALUES (99, 'from_the_future', 1)");

        var refused = await Assert.ThrowsAsync<DatabaseSchemaException>(() => Migrator().MigrateAsync());

        Assert.Equal(
            $"The database {_temp.Database.Path} has schema version 99, newer than this build knows ({SqliteMigrations.Latest}): run the newer build, or set Storage:DataDirectory to another folder.",
            refused.Message);
        Assert.Equal(SqliteMigrations.All.Count + 1, (await RecordedAsync()).Count);
    }

    [Fact]
    public async Task Two_instances_starting_on_one_file_at_once_apply_each_migration_once()
    {
        var other = new SqliteDatabase(_temp.Database.Path);

        var reports = await Task.WhenAll(
            Task.Run(() => new SqliteMigrator(_temp.Database, _clock).MigrateAsync()),
            Task.Run(() => new SqliteMigrator(other, _clock).MigrateAsync()));

        Assert.Equal(SqliteMigrations.All.Count, reports.Sum(r => r.Applied.Count));
        Assert.All(reports, r => Assert.Equal(SqliteMigrations.Latest, r.ToVersion));
        Assert.Equal(SqliteMigrations.All.Count, (await RecordedAsync()).Count);
    }

    private async Task<List<(int Version, string Name, long AppliedAt)>> RecordedAsync()
    {
        await using var connection = await _temp.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM schema_migrations ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return rows;
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = await _temp.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
