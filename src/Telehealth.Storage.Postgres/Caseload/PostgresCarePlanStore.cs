using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.CarePlans;
using Telehealth.Contracts;

namespace Telehealth.Storage.Postgres.Caseload;

/// <summary>
/// Goals and care plans on PostgreSQL (migration 0002_goals_care_plan): the plan row with its version and activities,
/// one row per goal as it stands, and an append-only history of every version. A save is one transaction that first
/// locks the person's plan and checks the stored version is the one the change was made from, so two instances saving
/// at once cannot both win.
/// </summary>
public sealed class PostgresCarePlanStore(PostgresDatabase database) : ICarePlanStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CarePlanRecord> GetAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        await using var connection = await database.OpenAsync(cancellationToken);
        var goals = await ReadGoalsAsync(connection, "patient_id = @key", patientId, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT version, activities_json, created_at_ms, changed_at_ms, changed_by, reason FROM care_plans WHERE patient_id = @patient
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return CarePlanRecord.Empty(patientId);
        }
        return new CarePlanRecord(patientId, reader.GetInt32(0), goals, ParseActivities(reader.GetString(1)), PostgresTime.FromUnixMs(reader.GetInt64(2)),
            new CarePlanChange(reader.GetString(4), reader.GetString(5), PostgresTime.FromUnixMs(reader.GetInt64(3))));
    }

    public async Task<CareGoal?> GetGoalAsync(Guid goalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var goals = await ReadGoalsAsync(connection, "goal_id = @key", goalId, cancellationToken);
        return goals.Count == 1 ? goals[0] : null;
    }

    public async Task<bool> SaveAsync(CarePlanRecord next, CarePlanRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(revision);
        if (next.Version < 1 || revision.Sequence != next.Version || next.LastChange is null || next.CreatedAt is null)
        {
            throw new ArgumentException("Store a plan made by CarePlanEditor: its revision must be its version.", nameof(next));
        }
        var goal = revision.GoalId is { } goalId ? next.Goal(goalId) ?? throw new ArgumentException("The revision's goal is not in the plan.", nameof(revision)) : null;
        await using var connection = await database.OpenAsync(cancellationToken);
        // The person's plan is locked for the transaction: the version check and the write are one step across instances.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLocks.TakeAsync(connection, transaction, "care-plan:" + next.PatientId, cancellationToken);
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM care_plans WHERE patient_id = @patient";
            read.Parameters.AddWithValue("@patient", next.PatientId);
            var stored = await read.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
            if (stored != next.Version - 1)
            {
                return false; // disposing the transaction rolls it back
            }
        }
        var change = revision.Change;
        var activitiesJson = JsonSerializer.Serialize(next.Activities, Json);
        await using (var plan = connection.CreateCommand())
        {
            plan.Transaction = transaction;
            plan.CommandText = """
                INSERT INTO care_plans (patient_id, version, activities_json, created_at_ms, changed_at_ms, changed_by, reason)
                VALUES (@patient, @version, @activities, @created, @at, @by, @reason)
                ON CONFLICT (patient_id) DO UPDATE SET version = excluded.version, activities_json = excluded.activities_json,
                    changed_at_ms = excluded.changed_at_ms, changed_by = excluded.changed_by, reason = excluded.reason
                """;
            plan.Parameters.AddWithValue("@patient", next.PatientId);
            plan.Parameters.AddWithValue("@version", next.Version);
            plan.Parameters.AddWithValue("@activities", activitiesJson);
            plan.Parameters.AddWithValue("@created", PostgresTime.ToUnixMs(next.CreatedAt.Value));
            AddChange(plan, change);
            await plan.ExecuteNonQueryAsync(cancellationToken);
        }
        if (goal is not null)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO care_goals (goal_id, patient_id, version, description, target_measure, target_date, status, created_at_ms,
                    status_changed_at_ms, changed_at_ms, changed_by, reason)
                VALUES (@goal, @patient, @version, @description, @measure, @date, @status, @created, @statusAt, @at, @by, @reason)
                ON CONFLICT (goal_id) DO UPDATE SET version = excluded.version, description = excluded.description,
                    target_measure = excluded.target_measure, target_date = excluded.target_date, status = excluded.status,
                    status_changed_at_ms = excluded.status_changed_at_ms, changed_at_ms = excluded.changed_at_ms,
                    changed_by = excluded.changed_by, reason = excluded.reason
                """;
            upsert.Parameters.AddWithValue("@goal", goal.Id);
            upsert.Parameters.AddWithValue("@patient", next.PatientId);
            upsert.Parameters.AddWithValue("@version", goal.Version);
            upsert.Parameters.AddWithValue("@description", goal.Description);
            upsert.Parameters.Add("@measure", NpgsqlDbType.Text).Value = (object?)goal.TargetMeasure ?? DBNull.Value;
            upsert.Parameters.Add("@date", NpgsqlDbType.Date).Value = goal.TargetDate is { } date ? date : DBNull.Value;
            upsert.Parameters.AddWithValue("@status", WireNames.Of(goal.Status));
            upsert.Parameters.AddWithValue("@created", PostgresTime.ToUnixMs(goal.CreatedAt));
            upsert.Parameters.AddWithValue("@statusAt", PostgresTime.ToUnixMs(goal.StatusChangedAt));
            AddChange(upsert, change);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = connection.CreateCommand())
        {
            history.Transaction = transaction;
            history.CommandText = """
                INSERT INTO care_plan_history (patient_id, seq, kind, goal_id, goal_version, summary, snapshot_json, changed_at_ms, changed_by, reason)
                VALUES (@patient, @seq, @kind, @goal, @goalVersion, @summary, @snapshot, @at, @by, @reason)
                """;
            history.Parameters.AddWithValue("@patient", next.PatientId);
            history.Parameters.AddWithValue("@seq", revision.Sequence);
            history.Parameters.AddWithValue("@kind", WireNames.Of(revision.Kind));
            history.Parameters.Add("@goal", NpgsqlDbType.Uuid).Value = goal is null ? DBNull.Value : goal.Id;
            history.Parameters.Add("@goalVersion", NpgsqlDbType.Integer).Value = goal is null ? DBNull.Value : goal.Version;
            history.Parameters.AddWithValue("@summary", revision.Summary);
            history.Parameters.AddWithValue("@snapshot", goal is null ? activitiesJson : JsonSerializer.Serialize(StoredGoal.From(goal), Json));
            AddChange(history, change);
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<CarePlanRevision>> GetHistoryAsync(string patientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, kind, goal_id, goal_version, summary, changed_at_ms, changed_by, reason FROM care_plan_history
            WHERE patient_id = @patient ORDER BY seq
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        var revisions = new List<CarePlanRevision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!WireNames.TryParse<CarePlanRevisionKind>(reader.GetString(1), out var kind))
            {
                throw new InvalidDataException($"Care plan history of {patientId} has an unknown kind at {reader.GetInt32(0)}.");
            }
            revisions.Add(new CarePlanRevision(reader.GetInt32(0), kind, reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetString(4),
                new CarePlanChange(reader.GetString(6), reader.GetString(7), PostgresTime.FromUnixMs(reader.GetInt64(5)))));
        }
        return revisions;
    }

    private static async Task<List<CareGoal>> ReadGoalsAsync(NpgsqlConnection connection, string where, object key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT goal_id, patient_id, version, description, target_measure, target_date, status, created_at_ms, status_changed_at_ms,
                changed_at_ms, changed_by, reason
            FROM care_goals WHERE {where} ORDER BY created_at_ms, goal_id
            """;
        command.Parameters.AddWithValue("@key", key);
        var goals = new List<CareGoal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!WireNames.TryParse<GoalStatus>(reader.GetString(6), out var status))
            {
                throw new InvalidDataException($"Goal {reader.GetGuid(0)} has an unknown status.");
            }
            goals.Add(new CareGoal(reader.GetGuid(0), reader.GetString(1), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                status, reader.GetInt32(2), PostgresTime.FromUnixMs(reader.GetInt64(7)), PostgresTime.FromUnixMs(reader.GetInt64(8)),
                new CarePlanChange(reader.GetString(10), reader.GetString(11), PostgresTime.FromUnixMs(reader.GetInt64(9)))));
        }
        return goals;
    }

    private static void AddChange(NpgsqlCommand command, CarePlanChange change)
    {
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(change.At));
        command.Parameters.AddWithValue("@by", change.ChangedBy);
        command.Parameters.AddWithValue("@reason", change.Reason);
    }

    private static List<CareActivity> ParseActivities(string json) =>
        JsonSerializer.Deserialize<List<CareActivity>>(json, Json) ?? throw new InvalidDataException("A care plan's activities are empty.");

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The history's shape of a goal version: wire names and plain text, so it reads the same in ten years.</summary>
    private sealed record StoredGoal(string Id, int Version, string Description, string? TargetMeasure, string? TargetDate, string Status)
    {
        public static StoredGoal From(CareGoal goal) => new(goal.Id.ToString("D"), goal.Version, goal.Description, goal.TargetMeasure,
            goal.TargetDate is { } date ? Date(date) : null, WireNames.Of(goal.Status));
    }
}
