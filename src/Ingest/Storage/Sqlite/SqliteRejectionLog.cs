using Telehealth.Contracts.Rejections;
using Telehealth.Storage;

namespace Telehealth.Ingest.Storage.Sqlite;

/// <summary>
/// Refused input in the embedded database. Only the most recent rows are kept (oldest pruned on each write) so a
/// device flooding bad input cannot fill the disk, while a separate counters table keeps exact totals per reason.
/// </summary>
public sealed class SqliteRejectionLog : IRejectionLog
{
    /// <summary>Rows kept by default: enough for staff to see what a misbehaving device sent, small on disk.</summary>
    public const int DefaultRetainedRows = 10_000;

    /// <summary>Longest detail kept; details name fields and limits, so anything longer is a device echoing its payload.</summary>
    public const int MaxDetailLength = 1_000;

    private const int MaxShortFieldLength = 200;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS rejections (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms     INTEGER NOT NULL,
            device_id TEXT    NULL,
            source    TEXT    NOT NULL,
            reason    TEXT    NOT NULL,
            detail    TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS rejection_counts (
            reason TEXT    PRIMARY KEY,
            count  INTEGER NOT NULL
        );
        """;

    private readonly SqliteDatabase _database;
    private readonly int _retainedRows;

    public SqliteRejectionLog(SqliteDatabase database, int retainedRows = DefaultRetainedRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedRows);
        _database = database;
        _retainedRows = retainedRows;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _database.EnsureSchemaAsync(Schema, cancellationToken);

    public async ValueTask RecordAsync(Rejection rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction;
        // AUTOINCREMENT keeps ids strictly increasing, so "id <= newest - retained" is exactly the oldest surplus rows.
        command.CommandText = """
            INSERT INTO rejections (at_ms, device_id, source, reason, detail) VALUES ($at, $device, $source, $reason, $detail);
            DELETE FROM rejections WHERE id <= last_insert_rowid() - $retained;
            INSERT INTO rejection_counts (reason, count) VALUES ($reason, 1)
                ON CONFLICT (reason) DO UPDATE SET count = count + 1;
            """;
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(rejection.At));
        command.Parameters.AddWithValue("$device", (object?)Truncate(rejection.DeviceId, MaxShortFieldLength) ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", Truncate(rejection.Source, MaxShortFieldLength));
        command.Parameters.AddWithValue("$reason", Truncate(rejection.Reason, MaxShortFieldLength));
        command.Parameters.AddWithValue("$detail", Truncate(rejection.Detail, MaxDetailLength));
        command.Parameters.AddWithValue("$retained", _retainedRows);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The most recent rejections, newest first.</summary>
    public async Task<IReadOnlyList<Rejection>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at_ms, device_id, source, reason, detail FROM rejections ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);

        var rejections = new List<Rejection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rejections.Add(new Rejection(
                At: SqliteTime.FromUnixMs(reader.GetInt64(0)),
                DeviceId: reader.IsDBNull(1) ? null : reader.GetString(1),
                Source: reader.GetString(2),
                Reason: reader.GetString(3),
                Detail: reader.GetString(4)));
        }
        return rejections;
    }

    /// <summary>Exact number of rejections ever recorded per reason code, including pruned rows.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsByReasonAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason, count FROM rejection_counts";

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static string? Truncate(string? text, int maxLength) =>
        text is null || text.Length <= maxLength ? text : text[..maxLength];
}
