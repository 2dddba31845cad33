using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// Appends one row to the alert event log inside the caller's transaction: the one insert that both the alert commit
/// (<see cref="PostgresAlertStore"/>) and the event-only append (<see cref="PostgresAlertEventAppender"/>) use.
/// </summary>
internal static class AlertEventRows
{
    /// <param name="alertJson">The alert as it is right after this event (<see cref="AlertSnapshots.ToJson"/>).</param>
    /// <returns>The event's sequence in the log.</returns>
    public static async Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertEvent alertEvent, string alertJson, CancellationToken cancellationToken)
    {
        await using var append = connection.CreateCommand();
        append.Transaction = transaction;
        append.CommandText = """
            INSERT INTO alert_events (alert_id, patient_id, type, actor, at_ms, reason, subject, until_ms, severity, alert_json)
            VALUES (@alert, @patient, @type, @actor, @at, @reason, @subject, @until, @severity, @json::jsonb) RETURNING seq
            """;
        append.Parameters.AddWithValue("@alert", alertEvent.AlertId.ToString("D"));
        append.Parameters.AddWithValue("@patient", alertEvent.PatientId);
        append.Parameters.AddWithValue("@type", WireNames.Of(alertEvent.Type));
        append.Parameters.AddWithValue("@actor", alertEvent.Actor);
        append.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(alertEvent.At));
        append.Parameters.AddWithValue("@reason", alertEvent.Reason);
        append.Parameters.AddWithValue("@subject", (object?)alertEvent.Subject ?? DBNull.Value);
        append.Parameters.AddWithValue("@until", alertEvent.Until is { } until ? PostgresTime.ToUnixMs(until) : DBNull.Value);
        append.Parameters.AddWithValue("@severity", alertEvent.Severity is { } severity ? (int)severity : DBNull.Value);
        append.Parameters.AddWithValue("@json", alertJson);
        return (long)(await append.ExecuteScalarAsync(cancellationToken))!;
    }
}
