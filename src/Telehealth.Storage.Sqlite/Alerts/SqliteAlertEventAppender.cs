using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Alerts;

/// <summary>The <see cref="IAlertEventAppender"/> on the alert store's tables (same file, same sequence).</summary>
public sealed class SqliteAlertEventAppender(SqliteDatabase database, SqliteAlertStore store, AlertEventSignal signal) : IAlertEventAppender
{
    public async Task<IReadOnlyList<AlertEventRecord>> AppendAsync(Guid alertId, IReadOnlyList<AlertEvent> events, long? expectedLastSequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }
        if (events.Any(e => e.AlertId != alertId))
        {
            throw new ArgumentException("Every event must belong to the alert.", nameof(events));
        }
        await store.InitializeAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        // IMMEDIATE: the check below and the append cannot be overtaken by another writer.
        await using var transaction = connection.BeginTransaction(deferred: false);
        string json;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT a.alert_json, (SELECT COALESCE(MAX(seq), 0) FROM alert_events WHERE alert_id = $alert)
                FROM alerts a WHERE a.id = $alert
                """;
            read.Parameters.AddWithValue("$alert", alertId.ToString("D"));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return [];
            }
            json = reader.GetString(0);
            var last = reader.GetInt64(1);
            if (expectedLastSequence is { } expected && (last != expected || AlertSnapshots.FromJson(json).Status != AlertCaseStatus.Open))
            {
                return [];
            }
        }
        var alert = AlertSnapshots.FromJson(json);
        var recorded = new List<AlertEventRecord>();
        foreach (var alertEvent in events)
        {
            await using var append = connection.CreateCommand();
            append.Transaction = transaction;
            append.CommandText = """
                INSERT INTO alert_events (alert_id, patient_id, type, actor, at_ms, reason, subject, until_ms, severity, alert_json)
                VALUES ($alert, $patient, $type, $actor, $at, $reason, $subject, $until, $severity, $json) RETURNING seq
                """;
            append.Parameters.AddWithValue("$alert", alertEvent.AlertId.ToString("D"));
            append.Parameters.AddWithValue("$patient", alertEvent.PatientId);
            append.Parameters.AddWithValue("$type", WireNames.Of(alertEvent.Type));
            append.Parameters.AddWithValue("$actor", alertEvent.Actor);
            append.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(alertEvent.At));
            append.Parameters.AddWithValue("$reason", alertEvent.Reason);
            append.Parameters.AddWithValue("$subject", (object?)alertEvent.Subject ?? DBNull.Value);
            append.Parameters.AddWithValue("$until", alertEvent.Until is { } until ? SqliteTime.ToUnixMs(until) : DBNull.Value);
            append.Parameters.AddWithValue("$severity", alertEvent.Severity is { } severity ? (int)severity : DBNull.Value);
            append.Parameters.AddWithValue("$json", json);
            var sequence = (long)(await append.ExecuteScalarAsync(cancellationToken))!;
            recorded.Add(new AlertEventRecord(sequence, alertEvent with { Sequence = sequence }, alert));
        }
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return recorded;
    }
}
