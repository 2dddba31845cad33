using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Alerts;

public sealed class PostgresNews2AssessmentStore : INews2AssessmentStore
{

    private const string Columns = "id, patient_id, total, risk, scale, parameter_scores, missing, basis, observed_at, assessed_at";

    private readonly PostgresDatabase _database;

    public PostgresNews2AssessmentStore(PostgresDatabase database)
    {
        _database = database;
    }

    public async Task<bool> AppendAsync(News2Assessment assessment, CancellationToken cancellationToken = default) =>
        await AppendManyAsync([assessment], cancellationToken) == 1;

    public async Task<int> AppendManyAsync(IReadOnlyList<News2Assessment> assessments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        if (assessments.Count == 0)
        {
            return 0;
        }
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip for the pass's assessments, not one each (a pass records dozens of people's), the inserts
        // still run one after another in it, so a repeat within the pass finds the first and is not counted.
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var assessment in assessments)
        {
            batch.BatchCommands.Add(InsertCommand(assessment));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var stored = 0;
        foreach (var command in batch.BatchCommands)
        {
            stored += command.RecordsAffected;
        }
        return stored;
    }

    private static NpgsqlBatchCommand InsertCommand(News2Assessment assessment)
    {
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO news2_assessments ({Columns}) VALUES (@id, @patient, @total, @risk, @scale, @scores::jsonb, @missing::jsonb, @basis::jsonb, @observed, @assessed) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("@id", assessment.Id);
        command.Parameters.AddWithValue("@patient", assessment.PatientId);
        command.Parameters.AddWithValue("@total", assessment.Score.Total);
        command.Parameters.AddWithValue("@risk", assessment.Score.Risk.ToString());
        command.Parameters.AddWithValue("@scale", (int)assessment.Scale);
        command.Parameters.AddWithValue("@scores", JsonSerializer.Serialize(assessment.Score.ParameterScores.ToDictionary(p => p.Key.ToString(), p => p.Value)));
        command.Parameters.AddWithValue("@missing", JsonSerializer.Serialize(assessment.Score.Missing.Select(m => m.ToString())));
        command.Parameters.AddWithValue("@basis", JsonSerializer.Serialize(assessment.Basis.Select(BasisRow.From)));
        command.Parameters.AddWithValue("@observed", PostgresTime.ToUnixMs(assessment.ObservedAt));
        command.Parameters.AddWithValue("@assessed", PostgresTime.ToUnixMs(assessment.AssessedAt));
        return command;
    }

    public async Task<News2Assessment?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM news2_assessments WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<News2Assessment>> ListAsync(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM news2_assessments
            WHERE patient_id = @patient AND observed_at >= @from AND observed_at < @to
            ORDER BY observed_at DESC, id LIMIT @limit
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@from", from is { } f ? PostgresTime.ToUnixMs(f) : long.MinValue);
        command.Parameters.AddWithValue("@to", to is { } t ? PostgresTime.ToUnixMs(t) : long.MaxValue);
        command.Parameters.AddWithValue("@limit", limit);
        var found = new List<News2Assessment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(Read(reader));
        }
        return found;
    }

    private static News2Assessment Read(NpgsqlDataReader reader)
    {
        var patientId = reader.GetString(1);
        var scores = JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(5))!
            .ToDictionary(p => Enum.Parse<News2Parameter>(p.Key), p => p.Value);
        var missing = JsonSerializer.Deserialize<string[]>(reader.GetString(6))!.Select(Enum.Parse<News2Parameter>).ToArray();
        var basis = JsonSerializer.Deserialize<BasisRow[]>(reader.GetString(7))!.Select(b => b.ToReading(patientId)).ToArray();
        var score = new News2Score(reader.GetInt32(2), scores, missing, Enum.Parse<News2Risk>(reader.GetString(3)));
        return new News2Assessment(
            reader.GetString(0), patientId, score, (News2Scale)reader.GetInt32(4), basis,
            PostgresTime.FromUnixMs(reader.GetInt64(8)), PostgresTime.FromUnixMs(reader.GetInt64(9)));
    }

    private sealed record BasisRow(string DeviceId, string Kind, double Value, long DeviceTimeMs, long ReceivedAtMs)
    {
        public static BasisRow From(Reading r) =>
            new(r.DeviceId, r.Kind.WireName(), r.Value, PostgresTime.ToUnixMs(r.DeviceTime), PostgresTime.ToUnixMs(r.ReceivedAt));

        public Reading ToReading(string patientId) =>
            new(DeviceId, patientId, VitalKinds.ParseWireName(Kind), Value, PostgresTime.FromUnixMs(DeviceTimeMs), PostgresTime.FromUnixMs(ReceivedAtMs));
    }
}
