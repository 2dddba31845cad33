using System.Globalization;
using Npgsql;

namespace Telehealth.Bench.Scale;

/// <summary>
/// PostgreSQL's own cumulative counters for one database (pg_stat_database, pg_stat_user_tables), taken before and
/// after a phase, so the split deployment can say how much database work each reading cost: transactions, rows read
/// (by sequential scan and by index) and rows written, per table. The counters are flushed by the server about once a
/// second, so take the second snapshot after the work has settled.
/// </summary>
public sealed class PostgresActivity
{
    private readonly Dictionary<string, long> _database;
    private readonly Dictionary<string, (long SeqRead, long IdxFetch, long Written, long SeqScans)> _tables;
    private readonly Dictionary<string, (long Calls, double Milliseconds, long Rows, long Blocks)> _statements;
    private readonly (long Touched, long Dirtied, long Written) _pages;

    private PostgresActivity(Dictionary<string, long> database, Dictionary<string, (long, long, long, long)> tables,
        Dictionary<string, (long, double, long, long)> statements, (long, long, long) pages)
    {
        _database = database;
        _tables = tables;
        _statements = statements;
        _pages = pages;
    }

    public static async Task<PostgresActivity> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var database = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            """
            SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted,
                   (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS wal_bytes,
                   (SELECT count(*) FROM pg_stat_activity a
                    WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()) AS connections
            FROM pg_stat_database WHERE datname = current_database()
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    database[reader.GetName(i)] = reader.GetInt64(i);
                }
            }
        }
        var tables = new Dictionary<string, (long, long, long, long)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT relname, coalesce(seq_tup_read, 0), coalesce(idx_tup_fetch, 0), n_tup_ins + n_tup_upd + n_tup_del, coalesce(seq_scan, 0) FROM pg_stat_user_tables", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            }
        }
        var statements = await StatementsAsync(connection, cancellationToken);
        return new PostgresActivity(database, tables, statements, await PagesAsync(connection, cancellationToken));
    }

    /// <summary>
    /// pg_stat_statements, when the server preloads it (the local test server does): each normalised statement's
    /// calls, execution time, rows and buffer pages touched. Without it, no statement figures.
    /// </summary>
    private static async Task<Dictionary<string, (long, double, long, long)>> StatementsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var statements = new Dictionary<string, (long, double, long, long)>(StringComparer.Ordinal);
        try
        {
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var command = new NpgsqlCommand("""
                SELECT query, sum(calls)::bigint, sum(total_exec_time), sum(rows)::bigint, sum(shared_blks_hit + shared_blks_read)::bigint
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                GROUP BY query
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statements[reader.GetString(0)] = (reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4));
            }
        }
        catch (PostgresException)
        {
            // Not preloaded (a container image's default): the table counters above still say where the work went.
        }
        return statements;
    }

    /// <summary>
    /// Shared buffer pages the statements touched (found in the buffer cache or read) and dirtied (first change of a clean page: each costs a write later, and a full
    /// page image in the WAL after a checkpoint) and pages written out by the server's own processes (the background
    /// writer and the checkpointer, pg_stat_bgwriter) plus by backends. Zero where pg_stat_statements is not loaded.
    /// </summary>
    private static async Task<(long Touched, long Dirtied, long Written)> PagesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        long touched = 0, dirtied = 0;
        try
        {
            await using var command = new NpgsqlCommand("""
                SELECT coalesce(sum(shared_blks_hit + shared_blks_read), 0)::bigint, coalesce(sum(shared_blks_dirtied), 0)::bigint
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (touched, dirtied) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException)
        {
            // Not preloaded.
        }
        await using var written = new NpgsqlCommand(
            "SELECT (buffers_checkpoint + buffers_clean + buffers_backend)::bigint FROM pg_stat_bgwriter", connection);
        return (touched, dirtied, (long)(await written.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>
    /// PostgreSQL's cost per reading between <paramref name="before"/> and this snapshot: WAL bytes, pages touched,
    /// dirtied and written, and (given the server's CPU seconds over the same window) CPU microseconds.
    /// </summary>
    public string PerReading(PostgresActivity before, long readings, double serverCpuSeconds)
    {
        if (readings <= 0)
        {
            return "";
        }
        var wal = _database.GetValueOrDefault("wal_bytes") - before._database.GetValueOrDefault("wal_bytes");
        return string.Create(CultureInfo.InvariantCulture,
            $"{wal / (double)readings:N0} WAL bytes, {(_pages.Touched - before._pages.Touched) / (double)readings:0.0} pages touched, {(_pages.Dirtied - before._pages.Dirtied) / (double)readings:0.00} pages dirtied, {(_pages.Written - before._pages.Written) / (double)readings:0.00} pages written, {serverCpuSeconds / readings * 1e6:0} µs of PostgreSQL CPU per reading");
    }

    /// <summary>The statements that took the most execution time between <paramref name="before"/> and this snapshot.</summary>
    public string TopStatements(PostgresActivity before, int count = 6) =>
        Format(StatementsSince(before).OrderByDescending(entry => entry.Milliseconds).Take(count));

    /// <summary>
    /// Every statement's calls between <paramref name="before"/> and this snapshot, and the ones called most: each call
    /// is a round trip for an instance (Npgsql, a socket write and read) and a wake-up for a backend, whatever the
    /// statement does, so the count says as much about PostgreSQL's and the instances' CPU as the execution time does.
    /// </summary>
    public string MostCalled(PostgresActivity before, int count = 8)
    {
        var since = StatementsSince(before).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{since.Sum(entry => entry.Calls):N0} statements; ")
            + Format(since.OrderByDescending(entry => entry.Calls).Take(count));
    }

    private IEnumerable<(string Query, long Calls, double Milliseconds, long Rows, long Blocks)> StatementsSince(PostgresActivity before) =>
        _statements.Select(entry =>
            {
                var was = before._statements.GetValueOrDefault(entry.Key);
                return (Query: entry.Key, Calls: entry.Value.Calls - was.Calls, Milliseconds: entry.Value.Milliseconds - was.Milliseconds,
                    Rows: entry.Value.Rows - was.Rows, Blocks: entry.Value.Blocks - was.Blocks);
            })
            .Where(entry => entry.Calls > 0);

    private static string Format(IEnumerable<(string Query, long Calls, double Milliseconds, long Rows, long Blocks)> statements)
    {
        var top = statements
            .Select(entry => string.Create(CultureInfo.InvariantCulture,
                $"{entry.Milliseconds:N0} ms in {entry.Calls:N0} calls ({entry.Rows:N0} rows, {entry.Blocks:N0} pages): `{Shorten(entry.Query)}`"))
            .ToList();
        return top.Count == 0 ? "(pg_stat_statements not loaded)" : string.Join("; ", top);
    }

    private static string Shorten(string query)
    {
        var oneLine = string.Join(' ', query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries)).Replace("`", "'", StringComparison.Ordinal);
        return oneLine.Length <= 110 ? oneLine : oneLine[..110] + "…";
    }

    /// <summary>One line: what happened between <paramref name="before"/> and this snapshot, per reading where it helps.</summary>
    public string Since(PostgresActivity before, long readings)
    {
        long Delta(string name) => _database.GetValueOrDefault(name) - before._database.GetValueOrDefault(name);
        var commits = Delta("xact_commit");
        var tables = _tables.Select(t =>
            {
                var was = before._tables.GetValueOrDefault(t.Key);
                return (Name: t.Key, SeqRead: t.Value.SeqRead - was.SeqRead, IdxFetch: t.Value.IdxFetch - was.IdxFetch,
                    Written: t.Value.Written - was.Written, SeqScans: t.Value.SeqScans - was.SeqScans);
            })
            .Where(t => t.SeqRead + t.IdxFetch + t.Written > 0)
            .OrderByDescending(t => t.SeqRead + t.IdxFetch + t.Written)
            .Take(5)
            .Select(t => string.Create(CultureInfo.InvariantCulture,
                $"{t.Name} ({t.SeqScans:N0} seq scans reading {t.SeqRead:N0} rows, {t.IdxFetch:N0} fetched by index, {t.Written:N0} written)"));
        // The backends the instances hold: each pool keeps as many as it ever needed at once and hands them out in turn,
        // so this says over how many processes (each with its own caches) the statements were spread.
        return string.Create(CultureInfo.InvariantCulture,
            $"{before._database.GetValueOrDefault("connections"):N0} client connections at the start and {_database.GetValueOrDefault("connections"):N0} at the end; {commits:N0} commits{(readings > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({commits / (double)readings:0.00} per reading)") : "")}, {Delta("xact_rollback"):N0} rollbacks, rows returned {Delta("tup_returned"):N0} / fetched {Delta("tup_fetched"):N0} / inserted {Delta("tup_inserted"):N0} / updated {Delta("tup_updated"):N0} / deleted {Delta("tup_deleted"):N0}; busiest tables: {string.Join("; ", tables)}");
    }
}
