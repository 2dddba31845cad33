using System.Text.Json;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Caseload;

public sealed class SqliteThresholdRepository : IThresholdRepository
{
    private readonly SqliteDatabase _database;

    public SqliteThresholdRepository(SqliteDatabase database)
    {
        _database = database;
    }

    public async Task<IReadOnlyList<VitalThreshold>> GetOverridesAsync(string patientId, CancellationToken cancellationToken = default)
    {
        // Read for every person in every evaluation pass: a kept reader's prepared statement (SqliteRead.Prepared).
        await using var read = await _database.BeginReadAsync(cancellationToken);
        var overrides = read.Prepared("SELECT kind, critical_low, low, high, critical_high FROM patient_thresholds WHERE patient_id = ?1")
            .Bind(1, patientId)
            .ReadAll(row =>
            {
                double? Bound(int column) => row.IsNull(column) ? null : row.Real(column);
                return new VitalThreshold(VitalKinds.ParseWireName(row.Text(0)!), Bound(1), Bound(2), Bound(3), Bound(4));
            });
        return overrides.OrderBy(threshold => threshold.Kind).ToArray();
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
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM patient_thresholds WHERE patient_id = $patient";
            delete.Parameters.AddWithValue("$patient", patientId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var threshold in overrides)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO patient_thresholds (patient_id, kind, critical_low, low, high, critical_high, set_by, set_at)
                VALUES ($patient, $kind, $cl, $l, $h, $ch, $by, $at)
                """;
            insert.Parameters.AddWithValue("$patient", patientId);
            insert.Parameters.AddWithValue("$kind", threshold.Kind.WireName());
            insert.Parameters.AddWithValue("$cl", (object?)threshold.CriticalLow ?? DBNull.Value);
            insert.Parameters.AddWithValue("$l", (object?)threshold.Low ?? DBNull.Value);
            insert.Parameters.AddWithValue("$h", (object?)threshold.High ?? DBNull.Value);
            insert.Parameters.AddWithValue("$ch", (object?)threshold.CriticalHigh ?? DBNull.Value);
            insert.Parameters.AddWithValue("$by", setBy);
            insert.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(at));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.CommandText = """
                INSERT INTO patient_threshold_history (patient_id, set_at, seq, set_by, overrides)
                VALUES ($patient, $at, (SELECT COUNT(*) FROM patient_threshold_history WHERE patient_id = $patient), $by, $overrides)
                """;
            history.Parameters.AddWithValue("$patient", patientId);
            history.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(at));
            history.Parameters.AddWithValue("$by", setBy);
            history.Parameters.AddWithValue("$overrides", JsonSerializer.Serialize(overrides.Select(ThresholdRow.From)));
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
            WHERE patient_id = $patient AND set_at <= $at
            ORDER BY set_at DESC, seq DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(at));
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        var overrides = json is null ? [] : ParseOverrides(json);
        return ThresholdSet.Defaults.WithOverrides(overrides);
    }

    public async Task<ThresholdTimeline> GetTimelineAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var read = await _database.BeginReadAsync(cancellationToken);
        var sets = read.Prepared("SELECT set_at, overrides FROM patient_threshold_history WHERE patient_id = ?1 ORDER BY set_at, seq")
            .Bind(1, patientId)
            .ReadAll(row => (SqliteTime.FromUnixMs(row.Integer(0)), ThresholdSet.Defaults.WithOverrides(ParseOverrides(row.Text(1)!))));
        return sets.Count == 0 ? ThresholdTimeline.DefaultsOnly : new ThresholdTimeline(sets);
    }

    private static IEnumerable<VitalThreshold> ParseOverrides(string json) =>
        JsonSerializer.Deserialize<ThresholdRow[]>(json)!.Select(row => row.ToThreshold());

    private sealed record ThresholdRow(string Kind, double? CriticalLow, double? Low, double? High, double? CriticalHigh)
    {
        public static ThresholdRow From(VitalThreshold t) => new(t.Kind.WireName(), t.CriticalLow, t.Low, t.High, t.CriticalHigh);

        public VitalThreshold ToThreshold() => new(VitalKinds.ParseWireName(Kind), CriticalLow, Low, High, CriticalHigh);
    }

    public async Task<ThresholdSet> GetEffectiveAsync(string patientId, CancellationToken cancellationToken = default) =>
        ThresholdSet.Defaults.WithOverrides(await GetOverridesAsync(patientId, cancellationToken));
}
