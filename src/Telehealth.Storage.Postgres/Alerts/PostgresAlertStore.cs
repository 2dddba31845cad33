using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// Alerts and the append-only alert event log in the shared PostgreSQL care record. <see cref="CommitAsync"/> writes the alerts,
/// their events, the rules' state and wake-ups, and the evaluation-queue completions in one transaction. An alert row keeps the core's
/// <see cref="AlertCase"/> whole as JSON beside the columns that are queried.
/// </summary>
public sealed class PostgresAlertStore : IAlertStore, IAlertEventLog
{
    internal const string NotResolved = "status <> 'resolved'";

    private const string EventColumns = "seq, alert_id, patient_id, type, actor, at_ms, reason, subject, until_ms, severity, alert_json";

    private readonly PostgresDatabase _database;
    private readonly AlertEventSignal? _signal;
    private readonly RuleWakeupSignal? _wakeups;
    private readonly TimeProvider _time;

    public PostgresAlertStore(PostgresDatabase database)
        : this(database, null, null)
    {
    }

    /// <param name="signal">Told after every commit that recorded events, so this process's followers act at once.</param>
    /// <param name="time">The clock for when queue items were done (the system clock when null).</param>
    /// <param name="wakeups">Told after every commit that recorded a wake-up, so the scheduler looks again at once.</param>
    public PostgresAlertStore(PostgresDatabase database, AlertEventSignal? signal, TimeProvider? time = null, RuleWakeupSignal? wakeups = null)
    {
        _database = database;
        _signal = signal;
        _time = time ?? TimeProvider.System;
        _wakeups = wakeups;
    }

    public async Task<AlertCase?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default) =>
        (await ReadAlertsAsync($"SELECT alert_json FROM alerts WHERE patient_id = @patient AND condition_key = @key AND {NotResolved}",
            command =>
            {
                command.Parameters.AddWithValue("@patient", patientId);
                command.Parameters.AddWithValue("@key", conditionKey);
            }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<AlertCase>> ListActiveForPatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        ReadAlertsAsync($"SELECT alert_json FROM alerts WHERE patient_id = @patient AND {NotResolved} ORDER BY raised_at, row_seq",
            command => command.Parameters.AddWithValue("@patient", patientId), cancellationToken);

    public async Task<AlertCase?> GetAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        (await ReadAlertsAsync("SELECT alert_json FROM alerts WHERE id = @id",
            command => command.Parameters.AddWithValue("@id", alertId.ToString("D")), cancellationToken)).SingleOrDefault();

    public async Task<StoredAlert?> GetStoredAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT alert_json, version FROM alerts WHERE id = @id";
        command.Parameters.AddWithValue("@id", alertId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredAlert(AlertSnapshots.FromJson(reader.GetString(0)), reader.GetInt64(1)) : null;
    }

    public Task<IReadOnlyList<AlertCase>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var filters = new List<string> { "1 = 1" };
        if (query.PatientId is not null)
        {
            filters.Add("patient_id = @patient");
        }
        if (query.ConditionKey is not null)
        {
            filters.Add("condition_key = @key");
        }
        if (query.Status is not null)
        {
            filters.Add("status = @status");
        }
        if (query.ActiveOnly)
        {
            filters.Add(NotResolved);
        }
        if (query.TeamId is not null)
        {
            filters.Add("patient_id IN (SELECT id FROM patients WHERE team_id = @team)");
        }
        return ReadAlertsAsync($"SELECT alert_json FROM alerts WHERE {string.Join(" AND ", filters)} ORDER BY raised_at DESC, row_seq DESC LIMIT @limit",
            command =>
            {
                command.Parameters.AddWithValue("@patient", (object?)query.PatientId ?? DBNull.Value);
                command.Parameters.AddWithValue("@key", (object?)query.ConditionKey ?? DBNull.Value);
                command.Parameters.AddWithValue("@status", query.Status is { } status ? WireNames.Of(status) : DBNull.Value);
                command.Parameters.AddWithValue("@limit", query.Limit);
                command.Parameters.AddWithValue("@team", (object?)query.TeamId ?? DBNull.Value);
            }, cancellationToken);
    }

    public async Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return (await CommitManyAsync([commit], cancellationToken))[0];
    }

    public async Task<IReadOnlyList<IReadOnlyList<AlertEventRecord>>> CommitManyAsync(IReadOnlyList<AlertCommit> commits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var results = commits.Select(_ => (IReadOnlyList<AlertEventRecord>)[]).ToArray();
        if (commits.All(commit => commit.IsEmpty))
        {
            return results;
        }
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The alert log's lock up front (PostgresLocks.AlertLog), but only when this commit appends events or writes over
        // an expected version: event sequences then commit in order, and the versions it is based on cannot be overtaken
        // by another instance between the check and the commit. Most passes write only rule states and completed items
        // (one person's rows, already guarded by that person's evaluation lease) or count a repeat in an alert (one row,
        // guarded by its own row lock and the unique index of open alerts), so they need not queue behind every other
        // commit on the log.
        if (NeedsAlertLogLock(commits))
        {
            await PostgresLocks.TakeAsync(connection, transaction, PostgresLocks.AlertLog, cancellationToken);
        }
        var anyRecorded = false;
        var anyWakeUp = false;
        for (var index = 0; index < commits.Count; index++)
        {
            if (!commits[index].IsEmpty)
            {
                results[index] = await WriteAlertsAsync(connection, transaction, commits[index], cancellationToken);
                anyRecorded |= results[index].Count > 0;
                anyWakeUp |= commits[index].RuleStates?.Any(state => state.WakeAt is not null) == true;
            }
        }
        // What needs no answer back is written for the whole pass at once: a few statements, not a few per person.
        var now = _time.GetUtcNow();
        await PostgresRuleStateStore.WriteAsync(connection, transaction,
            commits.SelectMany(commit => (commit.RuleStates ?? []).Select(state => (commit.PatientId, state))), now, cancellationToken);
        await PostgresEvaluationQueue.MarkDoneAsync(connection, transaction,
            commits.SelectMany(commit => commit.CompletedDueItems).ToList(),
            commits.Where(commit => commit.CompletedDueItems.Count > 0).Select(commit => commit.PatientId).ToList(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (anyRecorded)
        {
            _signal?.Notify();
        }
        if (anyWakeUp)
        {
            _wakeups?.Notify();
        }
        return results;
    }

    /// <summary>Whether any commit appends an event or writes an alert over an expected version (refused changes write nothing).</summary>
    private static bool NeedsAlertLogLock(IReadOnlyList<AlertCommit> commits) =>
        commits.Any(commit => commit.Changes.Any(change => change.Refused is null
            && (change.Events.Count > 0 || commit.ExpectedVersions?.ContainsKey(change.Alert.Id) == true)));

    /// <summary>One commit's alerts and their events (each event's sequence is read back, so one at a time).</summary>
    private static async Task<IReadOnlyList<AlertEventRecord>> WriteAlertsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertCommit commit, CancellationToken cancellationToken)
    {
        var recorded = new List<AlertEventRecord>();
        foreach (var change in commit.Changes.Where(change => change.Refused is null))
        {
            var alert = change.Alert;
            if (alert.PatientId != commit.PatientId)
            {
                throw new ArgumentException($"A change for alert {alert.Id} belongs to another patient than the commit.", nameof(commit));
            }
            await WriteAlertAsync(connection, transaction, alert, commit.ExpectedVersions?.GetValueOrDefault(alert.Id), cancellationToken);
            foreach (var alertEvent in change.Events)
            {
                var sequence = await AlertEventRows.AppendAsync(connection, transaction, alertEvent, AlertSnapshots.ToJson(alert), cancellationToken);
                recorded.Add(new AlertEventRecord(sequence, alertEvent with { Sequence = sequence }, alert));
            }
        }
        return recorded;
    }

    /// <param name="expectedVersion">Write only over this version (the conditional UPDATE is the cross-process guard); null: any.</param>
    private static async Task WriteAlertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertCase alert, long? expectedVersion, CancellationToken cancellationToken)
    {
        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = """
            INSERT INTO alerts (id, patient_id, condition_key, incident_id, severity, status, raised_at, updated_at, respond_by, alert_json)
            VALUES (@id, @patient, @key, @incident, @severity, @status, @raised, @updated, @respondBy, @json::jsonb)
            ON CONFLICT (id) DO UPDATE SET
                incident_id = excluded.incident_id, severity = excluded.severity, status = excluded.status,
                updated_at = excluded.updated_at, respond_by = excluded.respond_by, alert_json = excluded.alert_json,
                version = alerts.version + 1
            WHERE @expected::bigint IS NULL OR alerts.version = @expected
            """;
        write.Parameters.AddWithValue("@expected", expectedVersion is { } expected ? expected : DBNull.Value);
        write.Parameters.AddWithValue("@id", alert.Id.ToString("D"));
        write.Parameters.AddWithValue("@patient", alert.PatientId);
        write.Parameters.AddWithValue("@key", alert.ConditionKey);
        write.Parameters.AddWithValue("@incident", alert.IncidentId.ToString("D"));
        write.Parameters.AddWithValue("@severity", (int)alert.Severity);
        write.Parameters.AddWithValue("@status", WireNames.Of(alert.Status));
        write.Parameters.AddWithValue("@raised", PostgresTime.ToUnixMs(alert.RaisedAt));
        write.Parameters.AddWithValue("@updated", PostgresTime.ToUnixMs(alert.UpdatedAt));
        write.Parameters.AddWithValue("@respondBy", PostgresTime.ToUnixMs(alert.RespondBy));
        write.Parameters.AddWithValue("@json", AlertSnapshots.ToJson(alert));
        int written;
        try
        {
            written = await write.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation
            && exception.ConstraintName == "ux_alerts_not_resolved")
        {
            throw new DuplicateActiveAlertException(alert.PatientId, alert.ConditionKey, exception);
        }
        if (written == 0 && expectedVersion is { } stale)
        {
            // Under the alert log lock: no other writer can slip in between this check and the commit.
            throw new AlertChangedConcurrentlyException(alert.Id, stale);
        }
    }

    public Task<IReadOnlyList<AlertEventRecord>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"SELECT {EventColumns} FROM alert_events WHERE seq > @after ORDER BY seq LIMIT @limit",
            command =>
            {
                command.Parameters.AddWithValue("@after", afterSequence);
                command.Parameters.AddWithValue("@limit", limit);
            }, cancellationToken);

    public Task<IReadOnlyList<AlertEventRecord>> ReadForTeamAfterAsync(string teamId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"""
            SELECT {string.Join(", ", EventColumns.Split(", ").Select(c => "e." + c))} FROM alert_events e
            JOIN patients p ON p.id = e.patient_id
            WHERE p.team_id = @team AND e.seq > @after ORDER BY e.seq LIMIT @limit
            """,
            command =>
            {
                command.Parameters.AddWithValue("@team", teamId);
                command.Parameters.AddWithValue("@after", afterSequence);
                command.Parameters.AddWithValue("@limit", limit);
            }, cancellationToken);

    public Task<IReadOnlyList<AlertEventRecord>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"SELECT {EventColumns} FROM alert_events WHERE alert_id = @alert ORDER BY seq",
            command => command.Parameters.AddWithValue("@alert", alertId.ToString("D")), cancellationToken);

    public async Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM alert_events";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long?> GetCursorAsync(string follower, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM alert_event_cursors WHERE follower = @follower";
        command.Parameters.AddWithValue("@follower", follower);
        return await command.ExecuteScalarAsync(cancellationToken) is long sequence ? sequence : null;
    }

    public async Task SetCursorAsync(string follower, long sequence, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO alert_event_cursors (follower, seq) VALUES (@follower, @seq)
            ON CONFLICT (follower) DO UPDATE SET seq = GREATEST(alert_event_cursors.seq, excluded.seq)
            """;
        command.Parameters.AddWithValue("@follower", follower);
        command.Parameters.AddWithValue("@seq", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<AlertCase>> ReadAlertsAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var alerts = new List<AlertCase>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(AlertSnapshots.FromJson(reader.GetString(0)));
        }
        return alerts;
    }

    private async Task<IReadOnlyList<AlertEventRecord>> ReadEventsAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var events = new List<AlertEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            var typeName = reader.GetString(3);
            if (!WireNames.TryParse<AlertEventType>(typeName, out var type))
            {
                throw new InvalidDataException($"Stored alert event {sequence} has unknown type '{typeName}'.");
            }
            var alertEvent = new AlertEvent(
                Sequence: sequence,
                AlertId: Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                PatientId: reader.GetString(2),
                Type: type,
                Actor: reader.GetString(4),
                At: PostgresTime.FromUnixMs(reader.GetInt64(5)),
                Reason: reader.GetString(6),
                Subject: reader.IsDBNull(7) ? null : reader.GetString(7),
                Until: reader.IsDBNull(8) ? null : PostgresTime.FromUnixMs(reader.GetInt64(8)),
                Severity: reader.IsDBNull(9) ? null : (AlertSeverity)reader.GetInt32(9));
            events.Add(new AlertEventRecord(sequence, alertEvent, AlertSnapshots.FromJson(reader.GetString(10))));
        }
        return events;
    }
}
