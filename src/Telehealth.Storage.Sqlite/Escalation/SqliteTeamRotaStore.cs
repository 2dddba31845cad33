using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord.Escalation;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Escalation;

/// <summary>Rotas as one JSON document per team in the platform's SQLite file (a rota is read and replaced whole).</summary>
public sealed class SqliteTeamRotaStore(SqliteDatabase database) : ITeamRotaStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS team_rotas (
            team_id    TEXT PRIMARY KEY,
            rota       TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL
        );
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private volatile bool _schemaReady;

    public async Task<TeamRota?> GetAsync(string teamId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rota FROM team_rotas WHERE team_id = $team";
        command.Parameters.AddWithValue("$team", teamId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<TeamRota>(json, Json) : null;
    }

    public async Task PutAsync(TeamRota rota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rota);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO team_rotas (team_id, rota, updated_at, updated_by) VALUES ($team, $rota, $at, $by)
            ON CONFLICT (team_id) DO UPDATE SET rota = $rota, updated_at = $at, updated_by = $by
            """;
        command.Parameters.AddWithValue("$team", rota.TeamId);
        command.Parameters.AddWithValue("$rota", JsonSerializer.Serialize(rota, Json));
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(rota.UpdatedAt));
        command.Parameters.AddWithValue("$by", rota.UpdatedBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await database.EnsureSchemaAsync(Schema, cancellationToken);
            _schemaReady = true;
        }
    }
}
