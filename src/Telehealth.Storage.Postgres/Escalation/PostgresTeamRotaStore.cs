using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord.Escalation;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Escalation;

/// <summary>Rotas as one JSON document per team in the shared PostgreSQL care record (a rota is read and replaced whole).</summary>
public sealed class PostgresTeamRotaStore(PostgresDatabase database) : ITeamRotaStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<TeamRota?> GetAsync(string teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rota FROM team_rotas WHERE team_id = @team";
        command.Parameters.AddWithValue("@team", teamId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<TeamRota>(json, Json) : null;
    }

    public async Task PutAsync(TeamRota rota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rota);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO team_rotas (team_id, rota, updated_at, updated_by) VALUES (@team, @rota::jsonb, @at, @by)
            ON CONFLICT (team_id) DO UPDATE SET rota = @rota::jsonb, updated_at = @at, updated_by = @by
            """;
        command.Parameters.AddWithValue("@team", rota.TeamId);
        command.Parameters.AddWithValue("@rota", JsonSerializer.Serialize(rota, Json));
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(rota.UpdatedAt));
        command.Parameters.AddWithValue("@by", rota.UpdatedBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
