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
    /// Connections per instance when the connection string does not say (Npgsql's own default is 100). Npgsql hands its
    /// idle connections out in turn (first in, first out), so a pool keeps every connection it ever needed at once and
    /// spreads the statements over all of them: at 32 the split bench's two instances kept 64-66 backends busy, each
    /// with cold caches. In alternated split runs PostgreSQL spent 33-51 us of CPU per reading at 32 against 32-39 at 8,
    /// and 21-35 at 8 against 19-32 at 4 (docs/architecture.md, "Connections"). A pool smaller than the concurrent work
    /// only queues it in the instance: an evaluation pass's reads wait their turn, and none holds a connection while it
    /// waits for another (the one ingest batch in flight keeps its connection across the InfluxDB write and needs no
    /// second; PostgresCareRecordTests runs on a pool of one). Two instances at 100 each had also exhausted the server's
    /// connections.
    /// </summary>
    public const int DefaultMaxPoolSize = 4;

    /// <summary>
    /// Statements each pooled connection keeps prepared when the connection string does not say (Npgsql's own default is
    /// none). The stores run the same few dozen statements over and over (an evaluation pass reads eight things per person,
    /// the ingest batch queues its readings in one statement), and unprepared each was parsed and planned on every call.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The first statement of a command whose statement must be planned for its parameters on every call: the server's
    /// <c>plan_cache_mode</c> (auto) lets a prepared statement switch to one generic plan after five calls when that plan
    /// looks no dearer than the custom ones. For the evaluation claim it looked cheaper and was not (its LIMITs and lease
    /// checks unknown: 2,680 pages a call instead of 310 in a split run), so the claims and the readings' queueing
    /// statement force custom plans in their own transaction (SET LOCAL ends with it). Every other statement may go
    /// generic: planning every call of the small per-person reads was about 1 s of PostgreSQL's time per 100,000
    /// readings in the split bench (pg_stat_statements with track_planning). Filters that may be absent are left out
    /// of the SQL text rather than written as "@x IS NULL OR column = @x", which a generic plan could not use an index for.
    /// </summary>
    public const string PlanForEachCall = "SET LOCAL plan_cache_mode = force_custom_plan;\n";

    /// <summary>"WHERE a AND b …" for the conditions present (a filter left out is not in the text), or nothing.</summary>
    public static string Where(IReadOnlyCollection<string> conditions) =>
        conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Host = builder.Host ?? "";
        Name = builder.Database ?? "";
        if (!Sets(connectionString, "MAXIMUMPOOLSIZE", "MAXPOOLSIZE"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }
        MaxPoolSize = builder.MaxPoolSize;
        if (!Sets(connectionString, "MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        if (!Sets(connectionString, "NORESETONCLOSE"))
        {
            // A connection back in the pool is not reset (Npgsql's reset is DISCARD ALL, or with prepared statements five
            // commands, sent before the next use's first statement: one of every two transactions PostgreSQL ran in the
            // split bench). The stores leave no session state to reset: their locks are transaction-scoped
            // (PostgresLocks), the migrator releases its session lock itself, and nothing SETs, LISTENs or makes
            // temporary tables. Any transaction left open is still rolled back when the connection returns.
            builder.NoResetOnClose = true;
        }
        AutoPreparedStatements = builder.MaxAutoPrepare;
        ResetsOnClose = !builder.NoResetOnClose;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The most connections this process opens (the connection string's, or <see cref="DefaultMaxPoolSize"/>).</summary>
    public int MaxPoolSize { get; }

    /// <summary>Statements each connection keeps prepared (the connection string's, or <see cref="DefaultMaxAutoPrepare"/>).</summary>
    public int AutoPreparedStatements { get; }

    /// <summary>Whether a connection's session is reset on its way back to the pool (only if the connection string asks).</summary>
    public bool ResetsOnClose { get; }

    /// <summary>The server's host (for messages: never the password).</summary>
    public string Host { get; }

    /// <summary>The database's name (for messages).</summary>
    public string Name { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private static bool Sets(string connectionString, params string[] keywords)
    {
        // Whatever spelling Npgsql accepts for it (keywords are compared without case or spaces).
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Any(key => keywords.Contains(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparer.Ordinal));
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
