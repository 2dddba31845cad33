using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Evaluation;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// Rule state (<c>rule_states</c>) and wake-ups (<c>rule_wakeups</c>) in the shared PostgreSQL care record. The alert store writes
/// both inside its commit (<see cref="WriteAsync"/>); <see cref="FireDueAsync"/> moves due wake-ups into the evaluation
/// queue in one transaction, so a timer is never lost between the two tables.
/// </summary>
public sealed class PostgresRuleStateStore(PostgresDatabase database) : IRuleStateStore
{

    public async Task<IReadOnlyDictionary<string, StoredRuleState>> LoadAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.rule_key, s.state_json, s.device_id, s.device_type, s.since_ms, w.wake_at_ms
            FROM rule_states s LEFT JOIN rule_wakeups w ON w.patient_id = s.patient_id AND w.rule_key = s.rule_key
            WHERE s.patient_id = @patient
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        var states = new Dictionary<string, StoredRuleState>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = ReadState(reader, 0);
            states[state.RuleKey] = state;
        }
        return states;
    }

    /// <summary>
    /// One rule's state from <paramref name="first"/> on: rule_key, state_json, device_id, device_type, since_ms and its
    /// wake-up's wake_at_ms (null without one).
    /// </summary>
    internal static StoredRuleState ReadState(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        new RuleState(reader.GetString(first + 1)),
        reader.IsDBNull(first + 5) ? null : PostgresTime.FromUnixMs(reader.GetInt64(first + 5)),
        reader.IsDBNull(first + 2) ? null : new DeviceRef(reader.GetString(first + 2), reader.IsDBNull(first + 3) ? "unknown" : reader.GetString(first + 3)),
        PostgresTime.FromUnixMs(reader.GetInt64(first + 4)));

    public async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(wake_at_ms) FROM rule_wakeups";
        return await command.ExecuteScalarAsync(cancellationToken) is long next ? PostgresTime.FromUnixMs(next) : null;
    }

    public async Task<int> FireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<(string PatientId, RuleTimer Timer)>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT patient_id, rule_key, wake_at_ms FROM rule_wakeups WHERE wake_at_ms <= @now ORDER BY wake_at_ms LIMIT 10000";
            select.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetString(0), new RuleTimer(reader.GetString(1), PostgresTime.FromUnixMs(reader.GetInt64(2)))));
            }
        }
        foreach (var (patientId, timer) in due)
        {
            await PostgresEvaluationQueue.EnqueueTimerAsync(connection, transaction, patientId, timer, now, cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            // Only the wake-up that fired: an evaluation may have moved it meanwhile (then it stays for its new time).
            delete.CommandText = "DELETE FROM rule_wakeups WHERE patient_id = @patient AND rule_key = @key AND wake_at_ms = @at";
            delete.Parameters.AddWithValue("@patient", patientId);
            delete.Parameters.AddWithValue("@key", timer.RuleKey);
            delete.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(timer.WakeAt));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>
    /// Writes the rule states (and their wake-ups) of a whole evaluation pass inside the caller's transaction, in three
    /// statements whatever the number of people and rules: a statement per state and per wake-up made the pass's
    /// commit, which holds the alert log's lock, cost hundreds of round trips. When a rule appears more than once the
    /// last state written wins, as it would written one after another.
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<(string PatientId, StoredRuleState State)> states, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<(string, string), (string PatientId, StoredRuleState State)>();
        foreach (var entry in states)
        {
            latest[(entry.PatientId, entry.State.RuleKey)] = entry;
        }
        if (latest.Count == 0)
        {
            return;
        }
        var all = latest.Values.ToList();
        var waking = all.Where(entry => entry.State.WakeAt is not null).ToList();
        var sleeping = all.Where(entry => entry.State.WakeAt is null).ToList();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO rule_states (patient_id, rule_key, state_json, device_id, device_type, since_ms, updated_ms)
            SELECT s.patient_id, s.rule_key, s.state_json, s.device_id, s.device_type, s.since_ms, $7
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
                 AS s(patient_id, rule_key, state_json, device_id, device_type, since_ms)
            ON CONFLICT (patient_id, rule_key) DO UPDATE SET
                state_json = excluded.state_json, device_id = excluded.device_id, device_type = excluded.device_type,
                updated_ms = excluded.updated_ms
            """);
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => entry.PatientId).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => entry.State.RuleKey).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => entry.State.State.Json).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => entry.State.Device?.DeviceId).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => entry.State.Device?.DeviceType).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = all.Select(entry => PostgresTime.ToUnixMs(entry.State.Since)).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = PostgresTime.ToUnixMs(now) });
        batch.BatchCommands.Add(upsert);
        if (waking.Count > 0)
        {
            var wake = new NpgsqlBatchCommand("""
                INSERT INTO rule_wakeups (patient_id, rule_key, wake_at_ms)
                SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
                ON CONFLICT (patient_id, rule_key) DO UPDATE SET wake_at_ms = excluded.wake_at_ms
                """);
            wake.Parameters.Add(new NpgsqlParameter { Value = waking.Select(entry => entry.PatientId).ToArray() });
            wake.Parameters.Add(new NpgsqlParameter { Value = waking.Select(entry => entry.State.RuleKey).ToArray() });
            wake.Parameters.Add(new NpgsqlParameter { Value = waking.Select(entry => PostgresTime.ToUnixMs(entry.State.WakeAt!.Value)).ToArray() });
            batch.BatchCommands.Add(wake);
        }
        if (sleeping.Count > 0)
        {
            var unwake = new NpgsqlBatchCommand("""
                DELETE FROM rule_wakeups w USING unnest($1::text[], $2::text[]) AS s(patient_id, rule_key)
                WHERE w.patient_id = s.patient_id AND w.rule_key = s.rule_key
                """);
            unwake.Parameters.Add(new NpgsqlParameter { Value = sleeping.Select(entry => entry.PatientId).ToArray() });
            unwake.Parameters.Add(new NpgsqlParameter { Value = sleeping.Select(entry => entry.State.RuleKey).ToArray() });
            batch.BatchCommands.Add(unwake);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

}
