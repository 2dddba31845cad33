using Telehealth.CareRecord.Escalation;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Escalation;

/// <summary>
/// The escalation worker's durable timers: one row per alert that may still need escalating, with when to look at it
/// next. In the shared PostgreSQL care record, so every deadline survives a restart; after downtime a timer in the past is
/// simply due at once (the escalator's timing counts from recorded steps, so that is one step, not a burst).
/// </summary>
public sealed class PostgresEscalationTimers(PostgresDatabase database) : IEscalationTimerStore
{
    /// <summary>Nudged whenever a timer is brought forward, so the worker does not sleep through it.</summary>
    public WakeSignal Changed { get; } = new();

    /// <summary>Look at the alert no later than <paramref name="at"/> (an earlier existing time is kept).</summary>
    public async Task ScheduleAsync(Guid alertId, string patientId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO escalation_timers (alert_id, patient_id, due_at, version) VALUES (@alert, @patient, @at, 1)
            ON CONFLICT (alert_id) DO UPDATE SET due_at = LEAST(escalation_timers.due_at, @at), version = escalation_timers.version + 1
            """;
        command.Parameters.AddWithValue("@alert", alertId.ToString("D"));
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
        Changed.Notify();
    }

    /// <summary>Timers due at <paramref name="now"/>, earliest first.</summary>
    public async Task<IReadOnlyList<EscalationTimer>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT alert_id, patient_id, due_at, version FROM escalation_timers WHERE due_at <= @now ORDER BY due_at, alert_id LIMIT @limit";
        command.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<EscalationTimer>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new EscalationTimer(Guid.Parse(reader.GetString(0)), reader.GetString(1), PostgresTime.FromUnixMs(reader.GetInt64(2)), reader.GetInt64(3)));
        }
        return due;
    }

    /// <summary>The earliest timer, or null when none is set.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due_at) FROM escalation_timers";
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? PostgresTime.FromUnixMs(ms) : null;
    }

    public async Task<IReadOnlyList<EscalationTimer>> AllAsync(CancellationToken cancellationToken = default) =>
        await DueAsync(DateTimeOffset.MaxValue, int.MaxValue, cancellationToken);

    /// <summary>
    /// The worker looked at the alert: next look at <paramref name="next"/>, or none (the alert no longer escalates).
    /// Ignored when the timer changed since it was read (something asked for an earlier look: that stands).
    /// </summary>
    public async Task CompleteAsync(EscalationTimer timer, DateTimeOffset? next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = next is null
            ? "DELETE FROM escalation_timers WHERE alert_id = @alert AND version = @version"
            : "UPDATE escalation_timers SET due_at = @next WHERE alert_id = @alert AND version = @version";
        command.Parameters.AddWithValue("@alert", timer.AlertId.ToString("D"));
        command.Parameters.AddWithValue("@version", timer.Version);
        if (next is { } at)
        {
            command.Parameters.AddWithValue("@next", PostgresTime.ToUnixMs(at));
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
