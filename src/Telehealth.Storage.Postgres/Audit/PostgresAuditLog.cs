using Telehealth.CareRecord.Audit;
using Telehealth.Contracts;

namespace Telehealth.Storage.Postgres.Audit;

/// <summary>The audit log in the shared PostgreSQL care record: append-only (nothing here updates or deletes a row).</summary>
public sealed class PostgresAuditLog(PostgresDatabase database) : IAuditLog
{
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var entry in entries)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO audit_log (at_ms, actor, role, patient_id, team_id, action, resource)
                VALUES (@at, @actor, @role, @patient, @team, @action, @resource)
                """;
            command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(entry.At));
            command.Parameters.AddWithValue("@actor", entry.Actor);
            command.Parameters.AddWithValue("@role", entry.Role);
            command.Parameters.AddWithValue("@patient", entry.PatientId);
            command.Parameters.AddWithValue("@team", entry.TeamId);
            command.Parameters.AddWithValue("@action", WireNames.Of(entry.Action));
            command.Parameters.AddWithValue("@resource", entry.Resource);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var conditions = new List<string>();
        if (query.TeamId is { } team)
        {
            conditions.Add("team_id = @team");
            command.Parameters.AddWithValue("@team", team);
        }
        if (query.PatientId is { } patient)
        {
            conditions.Add("patient_id = @patient");
            command.Parameters.AddWithValue("@patient", patient);
        }
        if (query.Before is { } before)
        {
            conditions.Add("seq < @before");
            command.Parameters.AddWithValue("@before", before);
        }
        command.CommandText = $"""
            SELECT seq, at_ms, actor, role, patient_id, team_id, action, resource FROM audit_log
            {PostgresDatabase.Where(conditions)}
            ORDER BY seq DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@limit", query.Limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            WireNames.TryParse<AuditAction>(reader.GetString(6), out var action);
            entries.Add(new AuditEntry(reader.GetInt64(0), PostgresTime.FromUnixMs(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), action, reader.GetString(7)));
        }
        return entries;
    }
}
