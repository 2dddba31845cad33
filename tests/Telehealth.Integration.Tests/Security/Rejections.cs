using System.Text.Json;
using Telehealth.Integration.Tests.Platform;

namespace Telehealth.Integration.Tests.Security;

/// <summary>Reads the rejection list the way staff see it (GET /api/rejections).</summary>
internal static class Rejections
{
    public static async Task<List<JsonElement>> AllAsync(HttpClient staff) =>
        (await staff.GetJsonAsync("/api/rejections?limit=1000")).GetProperty("items").EnumerateArray().ToList();

    public static async Task<string[]> ReasonsOfDeviceAsync(HttpClient staff, string deviceId) =>
        (await AllAsync(staff)).Where(r => r.GetProperty("deviceId").GetString() == deviceId).Select(r => r.Str("reason")).Order().ToArray();

    /// <summary>Rejections recorded for a source with no device (their detail names the source address).</summary>
    public static async Task<List<JsonElement>> OfSourceAsync(HttpClient staff, string sourceAddress) =>
        (await AllAsync(staff)).Where(r => r.Str("detail").Contains($"Source {sourceAddress}.", StringComparison.Ordinal)).ToList();

    /// <summary>Refusals recorded after a socket closed are written just after the close: wait for them.</summary>
    public static Task<List<JsonElement>> EventuallyOfSourceAsync(HttpClient staff, string sourceAddress, int count = 1) =>
        Eventually.GetAsync(() => OfSourceAsync(staff, sourceAddress), rows => rows.Count >= count, TimeSpan.FromSeconds(30));

    public static Task<string[]> EventuallyReasonsOfDeviceAsync(HttpClient staff, string deviceId, int count = 1) =>
        Eventually.GetAsync(() => ReasonsOfDeviceAsync(staff, deviceId), rows => rows.Length >= count, TimeSpan.FromSeconds(30));
}
