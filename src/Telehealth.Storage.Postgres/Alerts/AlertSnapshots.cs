using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord.Alerting;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// The alert as JSON: its current row keeps it whole (so a new field of <see cref="AlertCase"/> needs no new column),
/// and each event keeps it as it was, so history and catch-up never depend on the current row.
/// </summary>
internal static class AlertSnapshots
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(AlertCase alert) => JsonSerializer.Serialize(alert, Options);

    public static AlertCase FromJson(string json) =>
        JsonSerializer.Deserialize<AlertCase>(json, Options) ?? throw new InvalidDataException("An alert row or event holds no alert.");
}
