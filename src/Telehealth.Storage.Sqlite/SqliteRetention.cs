using System.Globalization;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// Deletes rows past their retention a batch at a time, each batch its own short transaction, so pruning a year of
/// readings never holds SQLite's single write lock long enough to delay a device's acknowledgement.
/// </summary>
public static class SqliteRetention
{
    public const int BatchRows = 5_000;

    /// <param name="table">A table name from code, never from input.</param>
    /// <param name="timeColumn">Its time column in Unix milliseconds, from code.</param>
    /// <returns>Rows deleted.</returns>
    public static async Task<int> DeleteOlderThanAsync(SqliteDatabase database, string table, string timeColumn, DateTimeOffset before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {timeColumn} < $before LIMIT {BatchRows})");
            delete.Parameters.AddWithValue("$before", SqliteTime.ToUnixMs(before));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchRows)
            {
                return total;
            }
        }
    }
}
