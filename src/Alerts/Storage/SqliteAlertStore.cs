using System.Globalization;
using Microsoft.Data.Sqlite;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Lifecycle;
using Telehealth.Storage;

namespace Telehealth.Alerts.Storage;

public sealed class SqliteAlertStore : IAlertStore
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
        """;

    private const string Columns = "id, patient_id, condition_key, severity, reason, raised_at, updated_at, status, condition_active, occurrences, acknowledged_at, acknowledged_by, acknowledged_severity, cleared_at";
    private const string NotClosed = "(status = 'open' OR condition_active = 1)";

    private readonly SqliteDatabase _database;
    private readonly SchemaGate _schema;

    public SqliteAlertStore(SqliteDatabase database)
    {
        _database = database;
        _schema = new SchemaGate(database, Schema);
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
