using System.Globalization;
using Npgsql;
using Telehealth.Contracts.Storage;

namespace Telehealth.Storage.Postgres.Migrations;

/// <summary>
/// Brings the shared PostgreSQL database to the schema this build expects, once at start, before any store is used.
/// Migrations (<see cref="PostgresMigrations"/>) are applied in version order, each in its own transaction together with
/// its row in <c>schema_migrations</c>, so a crash leaves a step applied and recorded or neither (PostgreSQL's DDL is
/// transactional). The whole run holds a session advisory lock, so two instances starting together take turns: the
/// second waits, then finds every step done. A database newer than this build stops the start with
/// <see cref="DatabaseSchemaException"/>, nothing changed.
/// </summary>
public sealed class PostgresMigrator(PostgresDatabase database, TimeProvider time, IReadOnlyList<PostgresMigration>? migrations = null) : ISchemaMigrator
{
    /// <summary>The advisory lock key of migrating (any constant no other code uses; "THMIGRAT" as ASCII).</summary>
    public const long MigrationLockKey = 0x54484D4947524154;

    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text    NOT NULL,
            applied_at bigint  NOT NULL
        );
        """;

    private readonly IReadOnlyList<PostgresMigration> _migrations = migrations is null ? PostgresMigrations.All : PostgresMigrations.Validate(migrations);

    public async Task<SchemaMigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, VersionTable, cancellationToken);
            var found = await CurrentVersionAsync(connection, cancellationToken);
            var latest = _migrations[^1].Version;
            if (found > latest)
            {
                throw new DatabaseSchemaException(string.Create(CultureInfo.InvariantCulture,
                    $"The PostgreSQL database '{database.Name}' on {database.Host} has schema version {found}, newer than this build knows ({latest}): run the newer build, or set {PostgresDatabase.ConnectionStringSetting} to another database."));
            }
            var applied = new List<int>();
            foreach (var migration in _migrations.Where(m => m.Version > found))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var insert = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)", connection, transaction))
                {
                    insert.Parameters.AddWithValue("version", migration.Version);
                    insert.Parameters.AddWithValue("name", migration.Name);
                    insert.Parameters.AddWithValue("at", PostgresTime.ToUnixMs(time.GetUtcNow()));
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                applied.Add(migration.Version);
            }
            return new SchemaMigrationReport(found, await CurrentVersionAsync(connection, cancellationToken), false, applied);
        }
        finally
        {
            // Also released when the connection closes; explicit so the pooled connection goes back without it.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
