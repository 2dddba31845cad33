using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Storage.Sqlite.Alerts;

public sealed class SqliteNews2AssessmentStore : INews2AssessmentStore
{

    private const string Columns = "id, patient_id, total, risk, scale, parameter_scores, missing, basis, observed_at, assessed_at";

    private readonly SqliteDatabase _database;

    public SqliteNews2AssessmentStore(SqliteDatabase database)
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
        // The JSON columns are made before the turn: the turn is the one writer's, and only the insert needs it.
        var rows = assessments.Select(assessment => (Assessment: assessment,
            Scores: JsonSerializer.Serialize(assessment.Score.ParameterScores.ToDictionary(p => p.Key.ToString(), p => p.Value)),
            Missing: JsonSerializer.Serialize(assessment.Score.Missing.Select(m => m.ToString())),
            Basis: JsonSerializer.Serialize(assessment.Basis.Select(BasisRow.From)))).ToList();
        // In turn, not polled for: these are written between a pass's outbox append and its commit, on the way to the
        // alert, and SQLite's own wait for its lock sleeps 1, 2, 5 … 100 ms between tries (SqliteDatabase).
        await using var write = await _database.BeginWriteAsync(cancellationToken);
        var insert = write.Prepared($"INSERT OR IGNORE INTO news2_assessments ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        var stored = 0;
        foreach (var (assessment, scores, missing, basis) in rows)
        {
            stored += insert.Bind(1, assessment.Id)
                .Bind(2, assessment.PatientId)
                .Bind(3, assessment.Score.Total)
                .Bind(4, assessment.Score.Risk.ToString())
                .Bind(5, (int)assessment.Scale)
                .Bind(6, scores)
                .Bind(7, missing)
                .Bind(8, basis)
                .Bind(9, SqliteTime.ToUnixMs(assessment.ObservedAt))
                .Bind(10, SqliteTime.ToUnixMs(assessment.AssessedAt))
                .Execute();
        }
        await write.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<News2Assessment?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM news2_assessments WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
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
            WHERE patient_id = $patient AND observed_at >= $from AND observed_at < $to
            ORDER BY observed_at DESC, id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$from", from is { } f ? SqliteTime.ToUnixMs(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", to is { } t ? SqliteTime.ToUnixMs(t) : long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
        var found = new List<News2Assessment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(Read(reader));
        }
        return found;
    }

    private static News2Assessment Read(SqliteDataReader reader)
    {
        var patientId = reader.GetString(1);
        var scores = JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(5))!
            .ToDictionary(p => Enum.Parse<News2Parameter>(p.Key), p => p.Value);
        var missing = JsonSerializer.Deserialize<string[]>(reader.GetString(6))!.Select(Enum.Parse<News2Parameter>).ToArray();
        var basis = JsonSerializer.Deserialize<BasisRow[]>(reader.GetString(7))!.Select(b => b.ToReading(patientId)).ToArray();
        var score = new News2Score(reader.GetInt32(2), scores, missing, Enum.Parse<News2Risk>(reader.GetString(3)));
        return new News2Assessment(
            reader.GetString(0), patientId, score, (News2Scale)reader.GetInt32(4), basis,
            SqliteTime.FromUnixMs(reader.GetInt64(8)), SqliteTime.FromUnixMs(reader.GetInt64(9)));
    }

    private sealed record BasisRow(string DeviceId, string Kind, double Value, long DeviceTimeMs, long ReceivedAtMs)
    {
        public static BasisRow From(Reading r) =>
            new(r.DeviceId, r.Kind.WireName(), r.Value, SqliteTime.ToUnixMs(r.DeviceTime), SqliteTime.ToUnixMs(r.ReceivedAt));

        public Reading ToReading(string patientId) =>
            new(DeviceId, patientId, VitalKinds.ParseWireName(Kind), Value, SqliteTime.FromUnixMs(DeviceTimeMs), SqliteTime.FromUnixMs(ReceivedAtMs));
    }
}
