using Npgsql;
using System.Text.Json;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Caseload;

public sealed class PostgresThresholdRepository : IThresholdRepository
{
    private readonly PostgresDatabase _database;

    public PostgresThresholdRepository(PostgresDatabase database)
    {
        _database = database;
    }

    public async Task<IReadOnlyList<VitalThreshold>> GetOverridesAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, critical_low, low, high, critical_high FROM patient_thresholds WHERE patient_id = @patient";
        command.Parameters.AddWithValue("@patient", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var overrides = new List<VitalThreshold>();
        while (await reader.ReadAsync(cancellationToken))
        {
            overrides.Add(ReadOverride(reader, 0));
        }
        return overrides.OrderBy(threshold => threshold.Kind).ToArray();
    }

    /// <summary>One row of patient_thresholds from <paramref name="first"/> on: kind, critical_low, low, high, critical_high.</summary>
    internal static VitalThreshold ReadOverride(NpgsqlDataReader reader, int first)
    {
        double? Bound(int ordinal) => reader.IsDBNull(first + ordinal) ? null : reader.GetDouble(first + ordinal);
        return new VitalThreshold(VitalKinds.ParseWireName(reader.GetString(first)), Bound(1), Bound(2), Bound(3), Bound(4));
    }

    public async Task SetOverridesAsync(
        string patientId,
        IReadOnlyList<VitalThreshold> overrides,
        string setBy,
        DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentException.ThrowIfNullOrWhiteSpace(setBy);
        var problems = overrides.SelectMany(threshold => threshold.Validate()).ToList();
        problems.AddRange(overrides
            .GroupBy(threshold => threshold.Kind)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key.WireName()}: more than one override."));
        if (problems.Count > 0)
        {
            throw new ThresholdValidationException(problems);
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The person's threshold lock: the history's next number is read and written in one step on any instance.
        await PostgresLocks.TakeAsync(connection, transaction, "thresholds:" + patientId, cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM patient_thresholds WHERE patient_id = @patient";
            delete.Parameters.AddWithValue("@patient", patientId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var threshold in overrides)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO patient_thresholds (patient_id, kind, critical_low, low, high, critical_high, set_by, set_at)
                VALUES (@patient, @kind, @cl, @l, @h, @ch, @by, @at)
                """;
            insert.Parameters.AddWithValue("@patient", patientId);
            insert.Parameters.AddWithValue("@kind", threshold.Kind.WireName());
            insert.Parameters.AddWithValue("@cl", (object?)threshold.CriticalLow ?? DBNull.Value);
            insert.Parameters.AddWithValue("@l", (object?)threshold.Low ?? DBNull.Value);
            insert.Parameters.AddWithValue("@h", (object?)threshold.High ?? DBNull.Value);
            insert.Parameters.AddWithValue("@ch", (object?)threshold.CriticalHigh ?? DBNull.Value);
            insert.Parameters.AddWithValue("@by", setBy);
            insert.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.CommandText = """
                INSERT INTO patient_threshold_history (patient_id, set_at, seq, set_by, overrides)
                VALUES (@patient, @at, (SELECT COUNT(*) FROM patient_threshold_history WHERE patient_id = @patient), @by, @overrides::jsonb)
                """;
            history.Parameters.AddWithValue("@patient", patientId);
            history.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
            history.Parameters.AddWithValue("@by", setBy);
            history.Parameters.AddWithValue("@overrides", JsonSerializer.Serialize(overrides.Select(ThresholdRow.From)));
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ThresholdSet> GetEffectiveAtAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT overrides FROM patient_threshold_history
            WHERE patient_id = @patient AND set_at <= @at
            ORDER BY set_at DESC, seq DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        var overrides = json is null ? [] : ParseOverrides(json);
        return ThresholdSet.Defaults.WithOverrides(overrides);
    }

    public async Task<ThresholdTimeline> GetTimelineAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT set_at, overrides FROM patient_threshold_history WHERE patient_id = @patient ORDER BY set_at, seq";
        command.Parameters.AddWithValue("@patient", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sets = new List<(DateTimeOffset, ThresholdSet)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sets.Add((PostgresTime.FromUnixMs(reader.GetInt64(0)), ThresholdSet.Defaults.WithOverrides(ParseOverrides(reader.GetString(1)))));
        }
        return sets.Count == 0 ? ThresholdTimeline.DefaultsOnly : new ThresholdTimeline(sets);
    }

    internal static IEnumerable<VitalThreshold> ParseOverrides(string json) =>
        JsonSerializer.Deserialize<ThresholdRow[]>(json)!.Select(row => row.ToThreshold());

    private sealed record ThresholdRow(string Kind, double? CriticalLow, double? Low, double? High, double? CriticalHigh)
    {
        public static ThresholdRow From(VitalThreshold t) => new(t.Kind.WireName(), t.CriticalLow, t.Low, t.High, t.CriticalHigh);

        public VitalThreshold ToThreshold() => new(VitalKinds.ParseWireName(Kind), CriticalLow, Low, High, CriticalHigh);
    }

    public async Task<ThresholdSet> GetEffectiveAsync(string patientId, CancellationToken cancellationToken = default) =>
        ThresholdSet.Defaults.WithOverrides(await GetOverridesAsync(patientId, cancellationToken));
}
