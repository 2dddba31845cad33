using System.Globalization;
using Microsoft.Data.Sqlite;
using Telehealth.Contracts.Storage;

namespace Telehealth.Storage.Sqlite.Migrations;

/// <summary>
/// Brings the platform's SQLite file to the schema this build expects, once at start, before any store is used.
/// Migrations (<see cref="SqliteMigrations"/>) are applied in version order, each in its own transaction together with
/// its row in <c>schema_migrations</c> (version, name, applied_at), so a crash leaves a step applied and recorded or
/// neither. Transactions are IMMEDIATE: a second instance starting on the same file waits, then finds the step done.
/// <list type="bullet">
/// <item>Empty database: every migration.</item>
/// <item>Tables but no <c>schema_migrations</c> (made before versioning): the older shapes the stores used to upgrade
/// by themselves are upgraded (<see cref="SqliteLegacyUpgrades"/>), then the columns of every table the baseline has are
/// compared with it; if they match, the baseline fills in what is missing and the database is recorded as version 1,
/// otherwise nothing is changed and the start stops with <see cref="DatabaseSchemaException"/>.</item>
/// <item>A version newer than this build knows: stops with <see cref="DatabaseSchemaException"/>, nothing changed.</item>
/// </list>
/// </summary>
public sealed class SqliteMigrator(SqliteDatabase database, TimeProvider time, IReadOnlyList<SqliteMigration>? migrations = null) : ISchemaMigrator
{
    /// <summary>The configuration setting of the folder that holds the database, named in every refusal.</summary>
    public const string DataFolderSetting = "Storage:DataDirectory";

    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        );
        """;

    private readonly IReadOnlyList<SqliteMigration> _migrations = migrations is null ? SqliteMigrations.All : SqliteMigrations.Validate(migrations);

    public async Task<SchemaMigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var adopted = false;
        var applied = new List<int>();
        int found;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            if (!TableExists(connection, transaction, "schema_migrations"))
            {
                var present = SqliteSchemaShape.Read(connection, transaction);
                Execute(connection, transaction, VersionTable);
                if (present.Tables.Count > 0)
                {
                    Adopt(connection, transaction);
                    adopted = true;
                }
                transaction.Commit();
            }
        }
        found = adopted ? 0 : CurrentVersion(connection, null);
        var latest = _migrations[^1].Version;
        if (found > latest)
        {
            throw new DatabaseSchemaException(string.Create(CultureInfo.InvariantCulture,
                $"The database {database.Path} has schema version {found}, newer than this build knows ({latest}): run the newer build, or set {DataFolderSetting} to another folder."));
        }
        foreach (var migration in _migrations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction(deferred: false);
            // Read again inside the write lock: another instance may have applied it meanwhile.
            if (CurrentVersion(connection, transaction) >= migration.Version)
            {
                continue;
            }
            Execute(connection, transaction, migration.Sql);
            Record(connection, transaction, migration);
            transaction.Commit();
            applied.Add(migration.Version);
        }
        if (adopted)
        {
            applied.Insert(0, 1);
        }
        return new SchemaMigrationReport(found, CurrentVersion(connection, null), adopted, applied);
    }

    private void Adopt(SqliteConnection connection, SqliteTransaction transaction)
    {
        var baseline = _migrations[0];
        SqliteLegacyUpgrades.UpgradeShape(connection, transaction);
        var differences = SqliteSchemaShape.Read(connection, transaction).DifferencesFrom(SqliteSchemaShape.Of(baseline.Sql));
        if (differences.Count > 0)
        {
            // Rolled back with the transaction: a database we do not recognise is left exactly as it was found.
            throw new DatabaseSchemaException(string.Create(CultureInfo.InvariantCulture,
                $"The database {database.Path} was made before schema versioning and does not match the baseline ({string.Join("; ", differences.Take(3))}{(differences.Count > 3 ? $"; {differences.Count - 3} more" : string.Empty)}): move it out of the folder, or set {DataFolderSetting} to an empty folder, and start again."));
        }
        Execute(connection, transaction, baseline.Sql);
        SqliteLegacyUpgrades.BackfillRows(connection, transaction);
        Record(connection, transaction, baseline);
    }

    private void Record(SqliteConnection connection, SqliteTransaction transaction, SqliteMigration migration)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)";
        insert.Parameters.AddWithValue("$version", migration.Version);
        insert.Parameters.AddWithValue("$name", migration.Name);
        insert.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(time.GetUtcNow()));
        insert.ExecuteNonQuery();
    }

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static bool TableExists(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
