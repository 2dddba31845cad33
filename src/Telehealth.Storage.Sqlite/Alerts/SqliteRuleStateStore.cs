using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Evaluation;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Alerts;

/// <summary>
/// Rule state (<c>rule_states</c>) and wake-ups (<c>rule_wakeups</c>) in the embedded database. The alert store writes
/// both inside its commit (<see cref="WriteAsync"/>); <see cref="FireDueAsync"/> moves due wake-ups into the evaluation
/// queue in one transaction, so a timer is never lost between the two tables.
/// </summary>
public sealed class SqliteRuleStateStore(SqliteDatabase database) : IRuleStateStore
{

    public async Task<IReadOnlyDictionary<string, StoredRuleState>> LoadAsync(string patientId, CancellationToken cancellationToken = default)
    {
        // Read for every person in every evaluation pass: a kept reader's prepared statement (SqliteRead.Prepared).
        await using var read = await database.BeginReadAsync(cancellationToken);
        var rows = read.Prepared("""
            SELECT s.rule_key, s.state_json, s.device_id, s.device_type, s.since_ms, w.wake_at_ms
            FROM rule_states s LEFT JOIN rule_wakeups w ON w.patient_id = s.patient_id AND w.rule_key = s.rule_key
            WHERE s.patient_id = ?1
            """)
            .Bind(1, patientId)
            .ReadAll(row => new StoredRuleState(
                row.Text(0)!,
                new RuleState(row.Text(1)!),
                row.IsNull(5) ? null : SqliteTime.FromUnixMs(row.Integer(5)),
                row.Text(2) is { } device ? new DeviceRef(device, row.Text(3) ?? "unknown") : null,
                SqliteTime.FromUnixMs(row.Integer(4))));
        var states = new Dictionary<string, StoredRuleState>(StringComparer.Ordinal);
        foreach (var state in rows)
        {
            states[state.RuleKey] = state;
        }
        return states;
    }

    public async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(wake_at_ms) FROM rule_wakeups";
        return await command.ExecuteScalarAsync(cancellationToken) is long next ? SqliteTime.FromUnixMs(next) : null;
    }

    public async Task<int> FireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var due = new List<(string PatientId, RuleTimer Timer)>();
        {
            var select = write.Statement("SELECT patient_id, rule_key, wake_at_ms FROM rule_wakeups WHERE wake_at_ms <= $now ORDER BY wake_at_ms LIMIT 10000")
                .Bind("$now", SqliteTime.ToUnixMs(now));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetString(0), new RuleTimer(reader.GetString(1), SqliteTime.FromUnixMs(reader.GetInt64(2)))));
            }
        }
        foreach (var (patientId, timer) in due)
        {
            await SqliteEvaluationQueue.EnqueueTimerAsync(write, patientId, timer, now, cancellationToken);
            // Only the wake-up that fired: an evaluation may have moved it meanwhile (then it stays for its new time).
            await write.Statement("DELETE FROM rule_wakeups WHERE patient_id = $patient AND rule_key = $key AND wake_at_ms = $at")
                .Bind("$patient", patientId)
                .Bind("$key", timer.RuleKey)
                .Bind("$at", SqliteTime.ToUnixMs(timer.WakeAt))
                .ExecuteNonQueryAsync(cancellationToken);
        }
        await write.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>Writes rule states and their wake-ups inside the caller's transaction (the alert commit).</summary>
    public static void Write(SqliteWrite write, string patientId, IReadOnlyList<StoredRuleState> states, DateTimeOffset now)
    {
        foreach (var state in states)
        {
            write.Prepared("""
                INSERT INTO rule_states (patient_id, rule_key, state_json, device_id, device_type, since_ms, updated_ms)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (patient_id, rule_key) DO UPDATE SET
                    state_json = excluded.state_json, device_id = excluded.device_id, device_type = excluded.device_type,
                    updated_ms = excluded.updated_ms
                """)
                .Bind(1, patientId)
                .Bind(2, state.RuleKey)
                .Bind(3, state.State.Json)
                .Bind(4, state.Device?.DeviceId)
                .Bind(5, state.Device?.DeviceType)
                .Bind(6, SqliteTime.ToUnixMs(state.Since))
                .Bind(7, SqliteTime.ToUnixMs(now))
                .Execute();
            var wake = state.WakeAt is { } at
                ? write.Prepared("""
                    INSERT INTO rule_wakeups (patient_id, rule_key, wake_at_ms) VALUES (?1, ?2, ?3)
                    ON CONFLICT (patient_id, rule_key) DO UPDATE SET wake_at_ms = excluded.wake_at_ms
                    """).Bind(3, SqliteTime.ToUnixMs(at))
                : write.Prepared("DELETE FROM rule_wakeups WHERE patient_id = ?1 AND rule_key = ?2");
            wake.Bind(1, patientId).Bind(2, state.RuleKey).Execute();
        }
    }

}
