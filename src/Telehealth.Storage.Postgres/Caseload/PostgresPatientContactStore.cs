using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Storage.Postgres.Caseload;

/// <summary>Phones and contacts as one JSON document per person (read and replaced whole; never queried inside).</summary>
public sealed class PostgresPatientContactStore(PostgresDatabase database) : IPatientContactStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public async Task<PatientContacts> GetAsync(string patientId, CancellationToken cancellationToken = default) =>
        (await GetManyAsync([patientId], cancellationToken)).GetValueOrDefault(patientId) ?? PatientContacts.None;

    public async Task<IReadOnlyDictionary<string, PatientContacts>> GetManyAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        var found = new Dictionary<string, PatientContacts>(StringComparer.Ordinal);
        if (patientIds.Count == 0)
        {
            return found;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // One JSON array parameter instead of N placeholders: any number of ids, one statement.
        command.CommandText = "SELECT patient_id, contacts_json FROM patient_contacts WHERE patient_id = ANY(@ids)";
        command.Parameters.AddWithValue("@ids", patientIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = JsonSerializer.Deserialize<PatientContacts>(reader.GetString(1), Json) ?? PatientContacts.None;
        }
        return found;
    }

    public async Task SetAsync(string patientId, PatientContacts contacts, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO patient_contacts (patient_id, contacts_json, updated_by, updated_at_ms) VALUES (@patient, @json::jsonb, @by, @at)
            ON CONFLICT(patient_id) DO UPDATE SET contacts_json = @json::jsonb, updated_by = @by, updated_at_ms = @at
            """;
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@json", JsonSerializer.Serialize(contacts, Json));
        command.Parameters.AddWithValue("@by", by);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
