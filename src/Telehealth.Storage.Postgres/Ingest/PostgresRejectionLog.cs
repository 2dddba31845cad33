using Npgsql;
using Telehealth.Contracts.Rejections;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Ingest;

/// <summary>
/// Refused input in the shared PostgreSQL care record. Rows are kept for a retention period (<see cref="PruneAsync"/>, called
/// periodically by the host) and filtered, paged and scoped to the caller's team in the query itself, so one noisy
/// device cannot hide another's refusals. A row ceiling (oldest pruned on each write) still bounds the disk if a flood
/// outruns the retention period; a separate counters table keeps exact all-time totals per reason.
/// </summary>
public sealed class PostgresRejectionLog : IRejectionLog, IRejectionQueries
{
    /// <summary>Row ceiling by default: far above what retention keeps in normal use (a safety net, not the policy).</summary>
    public const int DefaultRetainedRows = 1_000_000;

    /// <summary>Longest detail kept; details name fields and limits, so anything longer is a device echoing its payload.</summary>
    public const int MaxDetailLength = 1_000;

    private const int MaxShortFieldLength = 200;

    private readonly PostgresDatabase _database;
    private readonly int _retainedRows;

    public PostgresRejectionLog(PostgresDatabase database, int retainedRows = DefaultRetainedRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedRows);
        _database = database;
        _retainedRows = retainedRows;
    }

    public async ValueTask RecordAsync(Rejection rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Identity ids increase, so "id <= newest - retained" is the oldest surplus rows (approximately, when instances interleave).
        command.CommandText = """
            WITH inserted AS (INSERT INTO rejections (at_ms, device_id, source, reason, detail) VALUES (@at, @device, @source, @reason, @detail) RETURNING id)
            DELETE FROM rejections WHERE id <= (SELECT id FROM inserted) - @retained;
            INSERT INTO rejection_counts (reason, count) VALUES (@reason, 1)
                ON CONFLICT (reason) DO UPDATE SET count = rejection_counts.count + 1;
            """;
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(rejection.At));
        command.Parameters.AddWithValue("@device", (object?)Truncate(rejection.DeviceId, MaxShortFieldLength) ?? DBNull.Value);
        command.Parameters.AddWithValue("@source", Truncate(rejection.Source, MaxShortFieldLength)!);
        command.Parameters.AddWithValue("@reason", Truncate(rejection.Reason, MaxShortFieldLength)!);
        command.Parameters.AddWithValue("@detail", Truncate(rejection.Detail, MaxDetailLength)!);
        command.Parameters.AddWithValue("@retained", _retainedRows);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The most recent rejections, newest first.</summary>
    public async Task<IReadOnlyList<Rejection>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at_ms, device_id, source, reason, detail FROM rejections ORDER BY id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", limit);

        var rejections = new List<Rejection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rejections.Add(new Rejection(
                At: PostgresTime.FromUnixMs(reader.GetInt64(0)),
                DeviceId: reader.IsDBNull(1) ? null : reader.GetString(1),
                Source: reader.GetString(2),
                Reason: reader.GetString(3),
                Detail: reader.GetString(4)));
        }
        return rejections;
    }

    /// <summary>A page of rejections within <see cref="RejectionQuery.Scope"/>, newest first.</summary>
    public async Task<IReadOnlyList<StoredRejection>> QueryAsync(RejectionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query.Limit));

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var conditions = new List<string> { Scope(command, query.Scope) };
        if (query.DeviceId is { } device)
        {
            conditions.Add("device_id = @device");
            command.Parameters.AddWithValue("@device", device);
        }
        if (query.Reason is { } reason)
        {
            conditions.Add("reason = @reason");
            command.Parameters.AddWithValue("@reason", reason);
        }
        if (query.BeforeId is { } before)
        {
            conditions.Add("id < @before");
            command.Parameters.AddWithValue("@before", before);
        }
        command.CommandText = $"""
            SELECT id, at_ms, device_id, source, reason, detail FROM rejections
            {PostgresDatabase.Where(conditions)}
            ORDER BY id DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@limit", query.Limit);

        var rejections = new List<StoredRejection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rejections.Add(new StoredRejection(reader.GetInt64(0), new Rejection(
                At: PostgresTime.FromUnixMs(reader.GetInt64(1)),
                DeviceId: reader.IsDBNull(2) ? null : reader.GetString(2),
                Source: reader.GetString(3),
                Reason: reader.GetString(4),
                Detail: reader.GetString(5))));
        }
        return rejections;
    }

    /// <summary>Kept rejections within <paramref name="scope"/> per device and reason (optionally of one device), most first.</summary>
    public async Task<IReadOnlyList<RejectionCount>> CountAsync(RejectionScope scope, string? deviceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var conditions = new List<string> { Scope(command, scope) };
        if (deviceId is not null)
        {
            conditions.Add("device_id = @device");
            command.Parameters.AddWithValue("@device", deviceId);
        }
        command.CommandText = $"""
            SELECT device_id, reason, COUNT(*), MAX(at_ms) FROM rejections
            {PostgresDatabase.Where(conditions)}
            GROUP BY device_id, reason ORDER BY COUNT(*) DESC, device_id, reason
            """;
        var counts = new List<RejectionCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new RejectionCount(
                reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2), PostgresTime.FromUnixMs(reader.GetInt64(3))));
        }
        return counts;
    }

    /// <summary>Deletes rejections recorded before <paramref name="cutoff"/> (retention by age); returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM rejections WHERE at_ms < @cutoff";
        command.Parameters.AddWithValue("@cutoff", PostgresTime.ToUnixMs(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Team scoping inside the query: the caller's devices, and for admins rows that belong to no known device. Device
    /// lists travel as one text[] parameter, so their length never changes the SQL text; whether unattributed rows are
    /// included does (two statements, each with a plan of its own).
    /// </summary>
    private static string Scope(NpgsqlCommand command, RejectionScope scope)
    {
        command.Parameters.AddWithValue("@scope_devices", scope.Devices.ToArray());
        if (!scope.IncludesUnattributed)
        {
            return "device_id = ANY(@scope_devices)";
        }
        command.Parameters.AddWithValue("@known_devices", (scope.KnownDevices ?? []).ToArray());
        return "(device_id = ANY(@scope_devices) OR device_id IS NULL OR NOT (device_id = ANY(@known_devices)))";
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
