using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Alerts.Storage;

/// <summary>The alert as it was after an event, kept in the event log so history and catch-up never depend on its current row.</summary>
internal static class AlertSnapshots
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(Alert alert) => JsonSerializer.Serialize(alert, Options);

    public static Alert FromJson(string json) =>
        JsonSerializer.Deserialize<Alert>(json, Options) ?? throw new InvalidDataException("An alert event holds no alert.");
}
