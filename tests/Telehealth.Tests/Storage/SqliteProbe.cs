using Telehealth.Storage.Sqlite;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Reads a real SQLite file the way the migration tests compare it: rows as text (NULL as "null"), a table's indexes,
/// and the plan SQLite chooses for a query.
/// </summary>
internal sealed class SqliteProbe(SqliteDatabase database)
{
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Each row as text, column by column (NULL as "null"), so rows compare by value.</summary>
    public async Task<List<List<string>>> RowsAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<List<string>>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }
        return rows;
    }

    /// <summary>Each index of a table: its name (the table's own name for its UNIQUE constraint), its columns, unique or not.</summary>
    public async Task<List<List<string>>> IndexesAsync(string table)
    {
        var indexes = await RowsAsync($"SELECT name, \"unique\" FROM pragma_index_list('{table}') ORDER BY name");
        var described = new List<List<string>>();
        foreach (var index in indexes)
        {
            var columns = await RowsAsync($"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno");
            var name = index[0].StartsWith("sqlite_autoindex_", StringComparison.Ordinal) ? table : index[0];
            described.Add([name, string.Join(',', columns.Select(c => c[0])), index[1]]);
        }
        return [.. described.OrderBy(d => d[0] == table ? "" : d[0], StringComparer.Ordinal)];
    }

    /// <summary>The steps of SQLite's plan for <paramref name="sql"/> (EXPLAIN QUERY PLAN's detail column), parameters bound to NULL.</summary>
    public async Task<string> PlanAsync(string sql)
    {
        var rows = await RowsAsync("EXPLAIN QUERY PLAN " + sql);
        return string.Join(" | ", rows.Select(row => row[^1]));
    }
}
