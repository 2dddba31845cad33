using System.Text.Json;
using Telehealth.Integration.Tests.Platform;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>The readings the platform stored for a patient, as the API returns them.</summary>
internal static class StoredReadings
{
    public static async Task<List<(string Kind, double Value, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt)>> ForAsync(HttpClient staff, string patientId)
    {
        var readings = await staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        return readings.EnumerateArray()
            .Select(r => (r.Str("kind"), r.GetProperty("value").GetDouble(), r.GetProperty("deviceTime").GetDateTimeOffset(), r.GetProperty("receivedAt").GetDateTimeOffset()))
            .OrderBy(r => r.Item3).ThenBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The expected rows for readings (SpO2, pulse) formed at each window end: heart_rate sorts before spo2.</summary>
    public static List<(string Kind, double Value, DateTimeOffset DeviceTime)> Expected(params (DateTimeOffset End, int Spo2, int Pulse)[] windows) =>
        windows.SelectMany(w => new[] { ("heart_rate", (double)w.Pulse, Millis(w.End)), ("spo2", (double)w.Spo2, Millis(w.End)) }).ToList();

    public static List<(string Kind, double Value, DateTimeOffset DeviceTime)> WithoutReceived(this List<(string Kind, double Value, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt)> stored) =>
        stored.Select(r => (r.Kind, r.Value, r.DeviceTime)).ToList();

    /// <summary>The platform keeps device times to the millisecond.</summary>
    private static DateTimeOffset Millis(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    public static JsonElement Single(JsonElement array) => array.EnumerateArray().Single();
}
