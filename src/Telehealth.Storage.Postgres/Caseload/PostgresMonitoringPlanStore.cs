using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;

namespace Telehealth.Storage.Postgres.Caseload;

/// <summary>
/// Monitoring plans in the shared PostgreSQL care record: the plan in force per person (monitoring_plans) and every saved
/// version with who, when and why (monitoring_plan_history; both created by migration 0004_monitoring_plans). Saving queues the person's rules for re-evaluation in
/// the same transaction (<see cref="PostgresEvaluationQueue.EnqueueReassessAsync(NpgsqlConnection, NpgsqlTransaction, string, CareRecordChange, DateTimeOffset, CancellationToken)"/>),
/// so a plan cannot be in force without its first deadlines being scheduled.
/// </summary>
public sealed class PostgresMonitoringPlanStore(PostgresDatabase database) : IMonitoringPlanStore
{

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<MonitoringPlan?> GetAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadCurrentAsync(connection, null, patientId, cancellationToken);
    }

    public async Task<MonitoringPlan> SaveAsync(MonitoringPlan plan, MonitoringPlanChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(change);
        if (plan.Validate().Count > 0 || string.IsNullOrWhiteSpace(change.Reason) || string.IsNullOrWhiteSpace(change.ChangedBy))
        {
            throw new ArgumentException("The plan must be valid and the change must name who and why.", nameof(plan));
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        // The person's plan lock: reading the plan in force and writing the next one are one step on any instance.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLocks.TakeAsync(connection, transaction, "plan:" + plan.PatientId, cancellationToken);
        var saved = plan.CarryStartsFrom(await ReadCurrentAsync(connection, transaction, plan.PatientId, cancellationToken));
        var json = JsonSerializer.Serialize(StoredPlan.From(saved), Json);
        var at = PostgresTime.ToUnixMs(change.At);
        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO monitoring_plans (patient_id, plan_json, changed_at_ms) VALUES (@patient, @json::jsonb, @at)
                ON CONFLICT (patient_id) DO UPDATE SET plan_json = excluded.plan_json, changed_at_ms = excluded.changed_at_ms
                """;
            upsert.Parameters.AddWithValue("@patient", plan.PatientId);
            upsert.Parameters.AddWithValue("@json", json);
            upsert.Parameters.AddWithValue("@at", at);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.Transaction = transaction;
            history.CommandText = """
                INSERT INTO monitoring_plan_history (patient_id, seq, plan_json, changed_at_ms, changed_by, reason)
                VALUES (@patient, (SELECT COALESCE(MAX(seq), 0) + 1 FROM monitoring_plan_history WHERE patient_id = @patient), @json::jsonb, @at, @by, @reason)
                """;
            history.Parameters.AddWithValue("@patient", plan.PatientId);
            history.Parameters.AddWithValue("@json", json);
            history.Parameters.AddWithValue("@at", at);
            history.Parameters.AddWithValue("@by", change.ChangedBy);
            history.Parameters.AddWithValue("@reason", change.Reason);
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        await PostgresEvaluationQueue.EnqueueReassessAsync(connection, transaction, plan.PatientId,
            new CareRecordChange(CareRecordChanges.MonitoringPlan, change.At), change.At, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // What was stored, to the millisecond, so a caller sees exactly what a later read returns.
        return Parse(plan.PatientId, json);
    }

    public async Task<IReadOnlyList<MonitoringPlanRevision>> GetHistoryAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, plan_json, changed_at_ms, changed_by, reason FROM monitoring_plan_history
            WHERE patient_id = @patient ORDER BY seq
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        var revisions = new List<MonitoringPlanRevision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            revisions.Add(new MonitoringPlanRevision(reader.GetInt32(0), Parse(patientId, reader.GetString(1)),
                new MonitoringPlanChange(reader.GetString(3), reader.GetString(4), PostgresTime.FromUnixMs(reader.GetInt64(2)))));
        }
        return revisions;
    }

    private static async Task<MonitoringPlan?> ReadCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string patientId,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT plan_json FROM monitoring_plans WHERE patient_id = @patient";
        command.Parameters.AddWithValue("@patient", patientId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Parse(patientId, json) : null;
    }

    internal static MonitoringPlan Parse(string patientId, string json) =>
        (JsonSerializer.Deserialize<StoredPlan>(json, Json) ?? throw new InvalidDataException($"Monitoring plan of {patientId} is empty.")).ToPlan(patientId);

    /// <summary>The stored shape: wire names and plain numbers, so the JSON reads the same in ten years.</summary>
    private sealed record StoredPlan(string TimeZone, List<StoredSchedule> Scheduled, List<StoredWindow> Activity, List<StoredHeartbeat> Heartbeats)
    {
        public static StoredPlan From(MonitoringPlan plan) => new(
            plan.TimeZoneId,
            [.. plan.ScheduledReadings.Select(s => new StoredSchedule(s.Kind.WireName(), s.DeviceId, s.DeviceType, Clock(s.Opens), Clock(s.DueBy),
                (long)s.Grace.TotalSeconds, PostgresTime.ToUnixMs(s.Since)))],
            [.. plan.ActivityWindows.Select(a => new StoredWindow(a.DeviceId, a.DeviceType, Clock(a.Opens), Clock(a.Closes), PostgresTime.ToUnixMs(a.Since)))],
            [.. plan.Heartbeats.Select(h => new StoredHeartbeat(h.DeviceId, h.DeviceType, (long)h.Interval.TotalSeconds, PostgresTime.ToUnixMs(h.Since)))]);

        public MonitoringPlan ToPlan(string patientId) => new(
            patientId,
            TimeZone,
            [.. Scheduled.Select(s => new ScheduledReading(VitalKinds.ParseWireName(s.Kind), s.DeviceId, s.DeviceType, ParseClock(s.Opens), ParseClock(s.DueBy),
                TimeSpan.FromSeconds(s.GraceSeconds), PostgresTime.FromUnixMs(s.SinceMs)))],
            [.. Activity.Select(a => new ActivityWindow(a.DeviceId, a.DeviceType, ParseClock(a.Opens), ParseClock(a.Closes), PostgresTime.FromUnixMs(a.SinceMs)))],
            [.. Heartbeats.Select(h => new HeartbeatExpectation(h.DeviceId, h.DeviceType, TimeSpan.FromSeconds(h.IntervalSeconds), PostgresTime.FromUnixMs(h.SinceMs)))]);

        private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

        private static TimeOnly ParseClock(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
    }

    private sealed record StoredSchedule(string Kind, string DeviceId, string DeviceType, string Opens, string DueBy, long GraceSeconds, long SinceMs);

    private sealed record StoredWindow(string DeviceId, string DeviceType, string Opens, string Closes, long SinceMs);

    private sealed record StoredHeartbeat(string DeviceId, string DeviceType, long IntervalSeconds, long SinceMs);
}
