using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Figures;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// Service-figure facts from the shared PostgreSQL care record: alerts joined to their person's team in the query, with the
/// first acknowledgement and first call taken from the append-only event log (not the alert's current row, which a re-opening resets).
/// </summary>
public sealed class PostgresServiceFiguresSource(PostgresDatabase database) : IServiceFiguresSource
{
    public async Task<IReadOnlyList<AlertFact>> AlertsRaisedAsync(string teamId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(teamId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.alert_json,
                   (SELECT MIN(e.at_ms) FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'acknowledged'),
                   (SELECT MIN(e.at_ms) FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'call_attempted')
            FROM alerts a JOIN patients p ON p.id = a.patient_id
            WHERE p.team_id = @team AND a.raised_at >= @from AND a.raised_at < @to
            ORDER BY a.raised_at, a.row_seq
            """;
        Bind(command, teamId, from, to);
        var facts = new List<AlertFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new AlertFact(AlertSnapshots.FromJson(reader.GetString(0)),
                reader.IsDBNull(1) ? null : PostgresTime.FromUnixMs(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : PostgresTime.FromUnixMs(reader.GetInt64(2))));
        }
        return facts;
    }

    public async Task<IReadOnlyList<AlertCase>> SilencesOverlappingAsync(string teamId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(teamId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Cleared before the period began: no overlap (the clear time lives in the snapshot, so that part is in memory).
        command.CommandText = """
            SELECT a.alert_json
            FROM alerts a JOIN patients p ON p.id = a.patient_id
            WHERE p.team_id = @team AND a.condition_key LIKE 'silence:%' AND a.raised_at < @to
            ORDER BY a.raised_at, a.row_seq
            """;
        Bind(command, teamId, from, to);
        var alerts = new List<AlertCase>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var alert = AlertSnapshots.FromJson(reader.GetString(0));
            if ((alert.ClearedAt ?? (alert.ConditionActive ? null : alert.ResolvedAt)) is not { } ended || ended >= from)
            {
                alerts.Add(alert);
            }
        }
        return alerts;
    }

    private static void Bind(NpgsqlCommand command, string teamId, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.AddWithValue("@team", teamId);
        command.Parameters.AddWithValue("@from", PostgresTime.ToUnixMs(from));
        command.Parameters.AddWithValue("@to", PostgresTime.ToUnixMs(to));
    }
}
