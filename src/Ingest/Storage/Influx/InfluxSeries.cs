using System.Text.Json;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>One series of an InfluxQL result: column names and rows of raw JSON values (time first).</summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<JsonElement>> Values)
{
    /// <summary>Index of <paramref name="column"/>, or an exception naming the columns the server did return.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new InvalidDataException($"InfluxDB series '{Name}' has no column '{column}' (columns: {string.Join(", ", Columns)}).");
    }
}
