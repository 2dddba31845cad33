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

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Host = builder.Host ?? "";
        Name = builder.Database ?? "";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The server's host (for messages: never the password).</summary>
    public string Host { get; }

    /// <summary>The database's name (for messages).</summary>
    public string Name { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
