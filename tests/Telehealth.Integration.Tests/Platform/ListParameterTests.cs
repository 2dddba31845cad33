using System.Net;
using System.Text.Json;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// Every list endpoint answers a <c>limit</c> below 1 and a reversed <c>from</c>/<c>to</c> with a <c>400</c> naming the
/// parameter, not with one item or an empty list that reads as the person's record; a <c>limit</c> above the
/// endpoint's ceiling is answered with the ceiling's page.
/// </summary>
public sealed class ListParameterTests : IAsyncLifetime
{
    private TelehealthPlatform _platform = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync();
        _admin = await _platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task A_limit_below_one_or_a_reversed_range_is_refused_naming_the_parameter_on_every_list()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_admin, "List Person");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(_admin, patientId);
        var hourAgo = Json.UnixSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        var minuteAgo = Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(-1));
        await using (var device = await MqttDevice.ConnectAsync(_platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync($$"""[{"bt":{{hourAgo}},"n":"spo2","u":"%","v":97},{"bt":{{minuteAgo}},"n":"spo2","u":"%","v":96}]""");
        }
        var lists = new[]
        {
            "/api/alerts", "/api/alerts/events", "/api/rejections", "/api/fhir/outbox", "/api/auth/failures", "/api/audit",
            $"/api/patients/{patientId}/readings", $"/api/patients/{patientId}/events", $"/api/patients/{patientId}/observations",
            $"/api/patients/{patientId}/timeline",
        };
        var earlier = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2).ToString("O"));
        var later = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));

        var answers = new List<string>();
        foreach (var path in lists)
        {
            foreach (var limit in new[] { "0", "-1" })
            {
                answers.Add(await AnswerAsync($"{path}?limit={limit}"));
            }
        }
        foreach (var path in new[] { $"/api/patients/{patientId}/readings", $"/api/patients/{patientId}/timeline" })
        {
            answers.Add(await AnswerAsync($"{path}?from={later}&to={earlier}"));
        }

        var expected = lists.SelectMany(_ => new[] { "400 limit: limit must be at least 1 (was 0).", "400 limit: limit must be at least 1 (was -1)." })
            .Concat(["400 from: from must not be after to.", "400 from: from must not be after to."]);
        Assert.Equal(expected, answers);
        // Above the ceiling (100,000 readings) the page is the ceiling's: both readings; and a range in order answers as before.
        var readings = await _admin.GetJsonAsync($"/api/patients/{patientId}/readings?limit=2000000");
        Assert.Equal([96.0, 97.0], readings.EnumerateArray().Select(r => r.GetProperty("value").GetDouble()).Order());
        var inOrder = await _admin.GetJsonAsync($"/api/patients/{patientId}/readings?from={earlier}&to={later}");
        Assert.Equal(0, inOrder.GetArrayLength());
    }

    private async Task<string> AnswerAsync(string path)
    {
        var response = await _admin.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return $"{(int)response.StatusCode} {path}";
        }
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject()
            .Select(error => $"{error.Name}: {string.Join(" ", error.Value.EnumerateArray().Select(message => message.GetString()))}");
        return "400 " + string.Join("; ", errors);
    }
}
