using System.Globalization;
using Microsoft.Data.Sqlite;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Lifecycle;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Waking;
using Telehealth.Contracts;
using Telehealth.Storage;

namespace Telehealth.Alerts.Storage;

/// <summary>
/// Alerts and the append-only alert event log in the embedded database. <see cref="CommitAsync"/> writes the alerts,
/// their events and the evaluation-queue completions in one transaction.
/// </summary>
public sealed class SqliteAlertStore : IAlertStore, IAlertEventLog
{
    // The partial unique index makes "one not-closed alert per patient and condition" a database guarantee,
    // so even two processes sharing the file cannot raise a duplicate.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS alerts (
            id                     TEXT PRIMARY KEY,
            patient_id             TEXT NOT NULL,
            condition_key          TEXT NOT NULL,
            severity               INTEGER NOT NULL,
            reason                 TEXT NOT NULL,
            raised_at              INTEGER NOT NULL,
            updated_at             INTEGER NOT NULL,
            status                 TEXT NOT NULL,
            condition_active       INTEGER NOT NULL,
            occurrences            INTEGER NOT NULL,
            acknowledged_at        INTEGER NULL,
            acknowledged_by        TEXT NULL,
            acknowledged_severity  INTEGER NULL,
            cleared_at             INTEGER NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_alerts_not_closed ON alerts(patient_id, condition_key)
            WHERE status = 'open' OR condition_active = 1;
        CREATE INDEX IF NOT EXISTS ix_alerts_patient_raised ON alerts(patient_id, raised_at);
        CREATE INDEX IF NOT EXISTS ix_alerts_raised ON alerts(raised_at);
        CREATE TABLE IF NOT EXISTS alert_events (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            alert_id    TEXT    NOT NULL,
            patient_id  TEXT    NOT NULL,
            type        TEXT    NOT NULL,
            actor       TEXT    NOT NULL,
            at_ms       INTEGER NOT NULL,
            alert_json  TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_alert_events_alert ON alert_events(alert_id, seq);
        CREATE INDEX IF NOT EXISTS ix_alert_events_patient ON alert_events(patient_id, seq);
        CREATE TABLE IF NOT EXISTS alert_event_cursors (
            follower TEXT PRIMARY KEY,
            seq      INTEGER NOT NULL
        );
        """ + SqliteEvaluationQueue.Schema;

    private const string Columns = "id, patient_id, condition_key, severity, reason, raised_at, updated_at, status, condition_active, occurrences, acknowledged_at, acknowledged_by, acknowledged_severity, cleared_at";
    private const string NotClosed = "(status = 'open' OR condition_active = 1)";

    private const string EventColumns = "seq, alert_id, patient_id, type, actor, at_ms, alert_json";

    private readonly SqliteDatabase _database;
    private readonly SchemaGate _schema;
    private readonly AlertEventSignal? _signal;
    private readonly TimeProvider _time;

    public SqliteAlertStore(SqliteDatabase database)
        : this(database, null, null)
    {
    }

    /// <param name="signal">Told after every commit that recorded events, so this process's followers act at once.</param>
    /// <param name="time">The clock for when queue items were done (the system clock when null).</param>
    public SqliteAlertStore(SqliteDatabase database, AlertEventSignal? signal, TimeProvider? time = null)
    {
        _database = database;
        _schema = new SchemaGate(database, Schema);
        _signal = signal;
        _time = time ?? TimeProvider.System;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public async Task<Alert?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE patient_id = $patient AND condition_key = $key AND {NotClosed}";
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$key", conditionKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task InsertAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO alerts ({Columns})
            VALUES ($id, $patient, $key, $severity, $reason, $raised, $updated, $status, $active, $occurrences, $ackAt, $ackBy, $ackSeverity, $cleared)
            """;
        Bind(command, alert);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */
            && exception.Message.Contains("condition_key", StringComparison.Ordinal))
        {
            throw new DuplicateActiveAlertException(alert.PatientId, alert.ConditionKey, exception);
        }
    }

    public async Task UpdateAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE alerts SET patient_id = $patient, condition_key = $key, severity = $severity, reason = $reason,
                raised_at = $raised, updated_at = $updated, status = $status, condition_active = $active,
                occurrences = $occurrences, acknowledged_at = $ackAt, acknowledged_by = $ackBy,
                acknowledged_severity = $ackSeverity, cleared_at = $cleared
            WHERE id = $id
            """;
        Bind(command, alert);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new KeyNotFoundException($"No alert {alert.Id}.");
        }
    }

    public async Task<Alert?> GetAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE id = $id";
        command.Parameters.AddWithValue("$id", alertId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filters = new List<string> { "1 = 1" };
        if (query.PatientId is not null)
        {
            filters.Add("patient_id = $patient");
            command.Parameters.AddWithValue("$patient", query.PatientId);
        }
        if (query.ConditionKey is not null)
        {
            filters.Add("condition_key = $key");
            command.Parameters.AddWithValue("$key", query.ConditionKey);
        }
        if (query.Status is { } status)
        {
            filters.Add("status = $status");
            command.Parameters.AddWithValue("$status", StatusText(status));
        }
        if (query.ActiveOnly)
        {
            filters.Add(NotClosed);
        }
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE {string.Join(" AND ", filters)} ORDER BY raised_at DESC, rowid DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var alerts = new List<Alert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(Read(reader));
        }
        return alerts;
    }

    public async Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.IsEmpty)
        {
            return [];
        }
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        // IMMEDIATE: take the write lock up front, so the alert reads this commit is based on cannot be overtaken.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var recorded = new List<AlertEventRecord>(commit.Changes.Count);
        foreach (var change in commit.Changes)
        {
            var alert = change.Decision.Alert;
            await using (var write = connection.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = change.Decision.Kind == AlertDecisionKind.Raised
                    ? $"""
                      INSERT INTO alerts ({Columns})
                      VALUES ($id, $patient, $key, $severity, $reason, $raised, $updated, $status, $active, $occurrences, $ackAt, $ackBy, $ackSeverity, $cleared)
                      """
                    : """
                      UPDATE alerts SET patient_id = $patient, condition_key = $key, severity = $severity, reason = $reason,
                          raised_at = $raised, updated_at = $updated, status = $status, condition_active = $active,
                          occurrences = $occurrences, acknowledged_at = $ackAt, acknowledged_by = $ackBy,
                          acknowledged_severity = $ackSeverity, cleared_at = $cleared
                      WHERE id = $id
                      """;
                Bind(write, alert);
                try
                {
                    if (await write.ExecuteNonQueryAsync(cancellationToken) != 1)
                    {
                        throw new KeyNotFoundException($"No alert {alert.Id}.");
                    }
                }
                catch (SqliteException exception) when (exception.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */
                    && exception.Message.Contains("condition_key", StringComparison.Ordinal))
                {
                    throw new DuplicateActiveAlertException(alert.PatientId, alert.ConditionKey, exception);
                }
            }
            await using (var append = connection.CreateCommand())
            {
                append.Transaction = transaction;
                append.CommandText = """
                    INSERT INTO alert_events (alert_id, patient_id, type, actor, at_ms, alert_json)
                    VALUES ($alert, $patient, $type, $actor, $at, $json) RETURNING seq
                    """;
                append.Parameters.AddWithValue("$alert", alert.Id.ToString("D"));
                append.Parameters.AddWithValue("$patient", alert.PatientId);
                append.Parameters.AddWithValue("$type", WireNames.Of(change.Type));
                append.Parameters.AddWithValue("$actor", change.Actor);
                append.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(alert.UpdatedAt));
                append.Parameters.AddWithValue("$json", AlertSnapshots.ToJson(alert));
                var sequence = (long)(await append.ExecuteScalarAsync(cancellationToken))!;
                recorded.Add(new AlertEventRecord(sequence, alert.Id, alert.PatientId, change.Type, change.Actor, alert.UpdatedAt, alert));
            }
        }
        await SqliteEvaluationQueue.MarkDoneAsync(connection, transaction, commit.CompletedDueItems, _time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (recorded.Count > 0)
        {
            _signal?.Notify();
        }
        return recorded;
    }

    public Task<IReadOnlyList<AlertEventRecord>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"SELECT {EventColumns} FROM alert_events WHERE seq > $after ORDER BY seq LIMIT $limit",
            command =>
            {
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$limit", limit);
            }, cancellationToken);

    public Task<IReadOnlyList<AlertEventRecord>> ReadForTeamAfterAsync(string teamId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"""
            SELECT {string.Join(", ", EventColumns.Split(", ").Select(c => "e." + c))} FROM alert_events e
            JOIN patients p ON p.id = e.patient_id
            WHERE p.team_id = $team AND e.seq > $after ORDER BY e.seq LIMIT $limit
            """,
            command =>
            {
                command.Parameters.AddWithValue("$team", teamId);
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$limit", limit);
            }, cancellationToken);

    public Task<IReadOnlyList<AlertEventRecord>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        ReadEventsAsync($"SELECT {EventColumns} FROM alert_events WHERE alert_id = $alert ORDER BY seq",
            command => command.Parameters.AddWithValue("$alert", alertId.ToString("D")), cancellationToken);

    public async Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM alert_events";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long?> GetCursorAsync(string follower, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM alert_event_cursors WHERE follower = $follower";
        command.Parameters.AddWithValue("$follower", follower);
        return await command.ExecuteScalarAsync(cancellationToken) is long sequence ? sequence : null;
    }

    public async Task SetCursorAsync(string follower, long sequence, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO alert_event_cursors (follower, seq) VALUES ($follower, $seq)
            ON CONFLICT (follower) DO UPDATE SET seq = excluded.seq
            """;
        command.Parameters.AddWithValue("$follower", follower);
        command.Parameters.AddWithValue("$seq", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<AlertEventRecord>> ReadEventsAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var events = new List<AlertEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var typeName = reader.GetString(3);
            if (!WireNames.TryParse<AlertEventType>(typeName, out var type))
            {
                throw new InvalidDataException($"Stored alert event {reader.GetInt64(0)} has unknown type '{typeName}'.");
            }
            events.Add(new AlertEventRecord(
                Sequence: reader.GetInt64(0),
                AlertId: Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                PatientId: reader.GetString(2),
                Type: type,
                Actor: reader.GetString(4),
                At: SqliteTime.FromUnixMs(reader.GetInt64(5)),
                Alert: AlertSnapshots.FromJson(reader.GetString(6))));
        }
        return events;
    }

    private static void Bind(SqliteCommand command, Alert alert)
    {
        command.Parameters.AddWithValue("$id", alert.Id.ToString("D"));
        command.Parameters.AddWithValue("$patient", alert.PatientId);
        command.Parameters.AddWithValue("$key", alert.ConditionKey);
        command.Parameters.AddWithValue("$severity", (int)alert.Severity);
        command.Parameters.AddWithValue("$reason", alert.Reason);
        command.Parameters.AddWithValue("$raised", SqliteTime.ToUnixMs(alert.RaisedAt));
        command.Parameters.AddWithValue("$updated", SqliteTime.ToUnixMs(alert.UpdatedAt));
        command.Parameters.AddWithValue("$status", StatusText(alert.Status));
        command.Parameters.AddWithValue("$active", alert.ConditionActive ? 1 : 0);
        command.Parameters.AddWithValue("$occurrences", alert.Occurrences);
        command.Parameters.AddWithValue("$ackAt", alert.AcknowledgedAt is { } ackAt ? SqliteTime.ToUnixMs(ackAt) : DBNull.Value);
        command.Parameters.AddWithValue("$ackBy", (object?)alert.AcknowledgedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$ackSeverity", alert.AcknowledgedSeverity is { } ackSeverity ? (int)ackSeverity : DBNull.Value);
        command.Parameters.AddWithValue("$cleared", alert.ClearedAt is { } cleared ? SqliteTime.ToUnixMs(cleared) : DBNull.Value);
    }

    private static Alert Read(SqliteDataReader reader)
    {
        DateTimeOffset? Time(int ordinal) => reader.IsDBNull(ordinal) ? null : SqliteTime.FromUnixMs(reader.GetInt64(ordinal));
        return new Alert(
            Id: Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
            PatientId: reader.GetString(1),
            ConditionKey: reader.GetString(2),
            Severity: (AlertSeverity)reader.GetInt32(3),
            Reason: reader.GetString(4),
            RaisedAt: SqliteTime.FromUnixMs(reader.GetInt64(5)),
            UpdatedAt: SqliteTime.FromUnixMs(reader.GetInt64(6)),
            Status: reader.GetString(7) == "acknowledged" ? AlertStatus.Acknowledged : AlertStatus.Open,
            ConditionActive: reader.GetInt32(8) == 1,
            Occurrences: reader.GetInt32(9),
            AcknowledgedAt: Time(10),
            AcknowledgedBy: reader.IsDBNull(11) ? null : reader.GetString(11),
            ClearedAt: Time(13),
            AcknowledgedSeverity: reader.IsDBNull(12) ? null : (AlertSeverity)reader.GetInt32(12));
    }

    private static string StatusText(AlertStatus status) => status switch
    {
        AlertStatus.Open => "open",
        AlertStatus.Acknowledged => "acknowledged",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
