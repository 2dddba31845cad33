using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Telehealth.Storage.Sqlite.Migrations;

/// <summary>
/// The tables of a database and their columns (name, declared type, NOT NULL, primary key), to tell whether a
/// database made before versioning is the baseline. Column order is not compared: a column added by ALTER TABLE in an
/// older version sits last, and is the same column.
/// </summary>
internal sealed class SqliteSchemaShape
{
    private readonly Dictionary<string, HashSet<string>> _tables;

    private SqliteSchemaShape(Dictionary<string, HashSet<string>> tables) => _tables = tables;

    public IReadOnlyCollection<string> Tables => _tables.Keys;

    public static SqliteSchemaShape Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var names = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var columns = connection.CreateCommand();
            columns.Transaction = transaction;
            columns.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
            columns.Parameters.AddWithValue("$table", name);
            using var reader = columns.ExecuteReader();
            var set = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                set.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{reader.GetString(0)} {reader.GetString(1).ToUpperInvariant()}{(reader.GetInt64(2) == 1 ? " NOT NULL" : string.Empty)}{(reader.GetInt64(3) > 0 ? " PRIMARY KEY" : string.Empty)}"));
            }
            tables[name] = set;
        }
        return new SqliteSchemaShape(tables);
    }

    /// <summary>The schema <paramref name="sql"/> makes in an empty database.</summary>
    public static SqliteSchemaShape Of(string sql)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        return Read(connection, null);
    }

    /// <summary>
    /// How the tables of this database that <paramref name="expected"/> also has differ from it (empty: they match).
    /// Tables only one side has are not differences: a missing table is created by the baseline, and a table the
    /// platform never made is left alone.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(SqliteSchemaShape expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var differences = new List<string>();
        foreach (var (table, columns) in _tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!expected._tables.TryGetValue(table, out var wanted))
            {
                continue;
            }
            differences.AddRange(wanted.Except(columns).Order(StringComparer.Ordinal).Select(c => $"{table} lacks column '{c}'"));
            differences.AddRange(columns.Except(wanted).Order(StringComparer.Ordinal).Select(c => $"{table} has unexpected column '{c}'"));
        }
        return differences;
    }
}
