using Npgsql;

namespace Telehealth.Storage.Postgres;

/// <summary>
/// The shared care record on PostgreSQL: one pooled <see cref="NpgsqlDataSource"/> per process. Its schema is made by
/// the migrations (<see cref="Migrations.PostgresMigrator"/>), run once at start; stores open short-lived connections
/// from the pool, as the SQLite stores do from theirs.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The configuration setting that holds the connection string, named in every refusal.</summary>
    public const string ConnectionStringSetting = "Storage:Postgres:ConnectionString";

    /// <summary>
    /// Connections per instance when the connection string does not say (Npgsql's own default is 100). Two instances at
    /// 100 each exhausted the server's connections (200 in the test server, 100 by default) during a split run, and more
    /// concurrent statements than this only queue inside PostgreSQL on a small machine.
    /// </summary>
    public const int DefaultMaxPoolSize = 32;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Host = builder.Host ?? "";
        Name = builder.Database ?? "";
        if (!SetsMaxPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }
        MaxPoolSize = builder.MaxPoolSize;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The most connections this process opens (the connection string's, or <see cref="DefaultMaxPoolSize"/>).</summary>
    public int MaxPoolSize { get; }

    /// <summary>The server's host (for messages: never the password).</summary>
    public string Host { get; }

    /// <summary>The database's name (for messages).</summary>
    public string Name { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private static bool SetsMaxPoolSize(string connectionString)
    {
        // Whatever spelling Npgsql accepts for it (keywords are compared without case or spaces).
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXIMUMPOOLSIZE" or "MAXPOOLSIZE");
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
