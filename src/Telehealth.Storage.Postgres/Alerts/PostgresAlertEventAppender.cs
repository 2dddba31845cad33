using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>The <see cref="IAlertEventAppender"/> on the alert store's tables (same file, same sequence).</summary>
public sealed class PostgresAlertEventAppender(PostgresDatabase database, AlertEventSignal signal) : IAlertEventAppender
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
        await using var connection = await database.OpenAsync(cancellationToken);
        // The alert log's lock: the check below and the append cannot be overtaken by another writer on any instance.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLocks.TakeAsync(connection, transaction, PostgresLocks.AlertLog, cancellationToken);
        string json;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT a.alert_json, (SELECT COALESCE(MAX(seq), 0) FROM alert_events WHERE alert_id = @alert)
                FROM alerts a WHERE a.id = @alert
                """;
            read.Parameters.AddWithValue("@alert", alertId.ToString("D"));
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
            var sequence = await AlertEventRows.AppendAsync(connection, transaction, alertEvent, json, cancellationToken);
            recorded.Add(new AlertEventRecord(sequence, alertEvent with { Sequence = sequence }, alert));
        }
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return recorded;
    }
}
