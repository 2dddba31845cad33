using System.Globalization;

namespace Telehealth.Storage.Postgres;

/// <summary>
/// Deletes rows past their retention a batch at a time, each batch its own short statement, so pruning a year of
/// events never holds locks long enough to delay ingest on another instance.
/// </summary>
public static class PostgresRetention
{
    public const int BatchRows = 5_000;

    /// <param name="table">A table name from code, never from input.</param>
    /// <param name="timeColumn">Its time column in Unix milliseconds, from code.</param>
    /// <returns>Rows deleted.</returns>
    public static async Task<int> DeleteOlderThanAsync(PostgresDatabase database, string table, string timeColumn, DateTimeOffset before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE {timeColumn} < @before LIMIT {BatchRows})");
            delete.Parameters.AddWithValue("before", PostgresTime.ToUnixMs(before));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchRows)
            {
                return total;
            }
        }
    }
}
