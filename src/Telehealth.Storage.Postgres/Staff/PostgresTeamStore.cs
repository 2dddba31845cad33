using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Storage.Postgres.Staff;

/// <summary>
/// Teams: a name and a generated id. A team id that staff already carry (from before teams were managed, or the
/// configured default team) is a known team too, listed with its id as its name.
/// </summary>
public sealed class PostgresTeamStore(PostgresDatabase database, TimeProvider timeProvider) : ITeamStore
{
    public async Task<string?> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var id = "team-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO teams (id, name, created_at_ms) VALUES (@id, @name, @at)";
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(timeProvider.GetUtcNow()));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return id;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation) // the name is taken
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM teams WHERE id = @id) OR EXISTS (SELECT 1 FROM staff_users WHERE team_id = @id)
            """;
        command.Parameters.AddWithValue("@id", teamId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<TeamRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, name, created_at_ms FROM (
                SELECT id, name, created_at_ms FROM teams
                UNION ALL
                SELECT DISTINCT team_id, team_id, NULL::bigint FROM staff_users WHERE team_id NOT IN (SELECT id FROM teams)) AS known
            ORDER BY lower(name), id
            """;
        var teams = new List<TeamRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            teams.Add(new TeamRecord(reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : PostgresTime.FromUnixMs(reader.GetInt64(2))));
        }
        return teams;
    }
}
