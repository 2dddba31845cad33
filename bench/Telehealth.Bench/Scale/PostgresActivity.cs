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

    private PostgresActivity(Dictionary<string, long> database, Dictionary<string, (long, long, long, long)> tables)
    {
        _database = database;
        _tables = tables;
    }

    public static async Task<PostgresActivity> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var database = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()", connection))
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
        return new PostgresActivity(database, tables);
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
        return string.Create(CultureInfo.InvariantCulture,
            $"{commits:N0} commits{(readings > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({commits / (double)readings:0.00} per reading)") : "")}, {Delta("xact_rollback"):N0} rollbacks, rows returned {Delta("tup_returned"):N0} / fetched {Delta("tup_fetched"):N0} / inserted {Delta("tup_inserted"):N0} / updated {Delta("tup_updated"):N0} / deleted {Delta("tup_deleted"):N0}; busiest tables: {string.Join("; ", tables)}");
    }
}
