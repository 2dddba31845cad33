using System.Net;
using System.Net.Http.Json;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>Service figures through the API of a platform of their own (so the team's counts are exactly this test's).</summary>
public sealed class ServiceFiguresApiTests
{
    [Fact]
    public async Task Figures_count_the_team_s_alerts_by_severity_and_kind_time_the_acknowledgement_and_first_call_and_count_calls_as_JSON_and_CSV()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Counted Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var device = await MqttDevice.ConnectAsync(platform, deviceId, secret))
        {
            // SpO2 84 %: a critical threshold alert and a medium NEWS2 (a single parameter scoring 3).
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":84}]""");
        }
        await platform.SettledAsync();
        var threshold = Assert.Single((await staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray(), a => a.Str("condition") == "threshold:spo2");
        Assert.True((await staff.PostAsync($"/api/alerts/{threshold.Str("id")}/acknowledge", null)).IsSuccessStatusCode);
        Assert.True((await staff.PostAsJsonAsync($"/api/alerts/{threshold.Str("id")}/calls",
            new { outcome = "reached", actions = new[] { "advice_given", "gp_informed" } })).IsSuccessStatusCode);

        var figures = await staff.GetJsonAsync($"/api/figures?from={Uri.EscapeDataString(start.ToString("O"))}");

        Assert.Equal(2, figures.GetProperty("alertsRaised").GetInt32());
        var severity = figures.GetProperty("bySeverity");
        Assert.Equal((1, 1, 0, 0), (severity.GetProperty("critical").GetInt32(), severity.GetProperty("medium").GetInt32(),
            severity.GetProperty("high").GetInt32(), severity.GetProperty("low").GetInt32()));
        var kinds = figures.GetProperty("byKind");
        Assert.Equal((1, 1), (kinds.GetProperty("threshold").GetInt32(), kinds.GetProperty("news2").GetInt32()));
        var ack = figures.GetProperty("timeToAcknowledge");
        Assert.Equal((1, 1), (ack.GetProperty("responded").GetInt32(), ack.GetProperty("waiting").GetInt32()));
        Assert.True(ack.GetProperty("medianSeconds").GetDouble() >= 0);
        Assert.Equal(0, figures.GetProperty("adherence").GetArrayLength());
        // Both alerts call for a call (a critical red flag, NEWS2); one got it.
        var firstCall = figures.GetProperty("timeToFirstCall");
        Assert.Equal((1, 1), (firstCall.GetProperty("responded").GetInt32(), firstCall.GetProperty("waiting").GetInt32()));
        Assert.True(firstCall.GetProperty("medianSeconds").GetDouble() >= ack.GetProperty("medianSeconds").GetDouble());
        var followUps = figures.GetProperty("followUps");
        Assert.Equal((1, 1, 0), (followUps.GetProperty("alertsCalled").GetInt32(), followUps.GetProperty("calls").GetInt32(), followUps.GetProperty("escalated").GetInt32()));
        Assert.Equal(["reached:1", "no_answer:0", "wrong_number:0", "busy:0"],
            followUps.GetProperty("byOutcome").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt32()}"));
        Assert.Equal(["advice_given:1", "repeat_reading_requested:0", "gp_informed:1", "visit_arranged:0", "advised_111:0", "advised_999:0", "ambulance_called:0"],
            followUps.GetProperty("byAction").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt32()}"));

        var csv = await staff.GetAsync($"/api/figures?format=csv&from={Uri.EscapeDataString(start.ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,key,detail,value", lines[0]);
        Assert.Contains("alerts,raised,,2", lines);
        Assert.Contains("alerts_by_severity,critical,,1", lines);
        Assert.Contains("time_to_acknowledge,responded,,1", lines);
        Assert.Contains("time_to_first_call,responded,,1", lines);
        Assert.Contains("time_to_first_call,waiting,,1", lines);
        Assert.Contains("follow_ups,calls,,1", lines);
        Assert.Contains("call_outcomes,reached,,1", lines);
        Assert.Contains("call_actions,gp_informed,,1", lines);
    }

    [Theory]
    [InlineData("from=2026-01-10T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("format=xml", "format")]
    public async Task A_period_or_format_that_cannot_be_reported_is_refused_naming_it(string query, string field)
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();

        var response = await staff.GetAsync($"/api/figures?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.Content.ReadFromJsonElementAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
