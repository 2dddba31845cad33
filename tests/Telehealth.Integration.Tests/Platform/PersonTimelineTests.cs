using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The read models behind the workspace pages: a person's timeline (readings, telecare events, alert events,
/// care-setting and threshold changes, newest first, within the range) and the snoozes in force, both team-scoped.
/// </summary>
public sealed class PersonTimelineTests : IAsyncLifetime
{
    private TelehealthPlatform _platform = null!;
    private HttpClient _staff = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync();
        _staff = await _platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        _staff.Dispose();
        await _platform.DisposeAsync();
    }

    private async Task<HttpClient> OtherTeamAsync()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await _platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser("nurse-south", StaffRoles.Clinician, "team-south"), password);
        var client = _platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _platform.GetTokenAsync("nurse-south", password));
        return client;
    }

    [Fact]
    public async Task The_timeline_merges_every_source_newest_first_within_the_range_and_only_for_the_team()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_staff, "Timeline Person");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId);
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "pendant_alarm");
        var tenDaysAgo = Json.UnixSeconds(DateTimeOffset.UtcNow.AddDays(-10));
        var hourAgo = Json.UnixSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        await using (var device = await MqttDevice.ConnectAsync(_platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync($$"""[{"bt":{{tenDaysAgo}},"n":"spo2","u":"%","v":97}]""");
            await device.PublishReadingsAsync($$"""[{"bt":{{hourAgo}},"n":"spo2","u":"%","v":96}]""");
        }
        await using (var device = await MqttDevice.ConnectAsync(_platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alertId = (await _staff.GetJsonAsync("/api/alerts")).EnumerateArray().Single().Str("id");
        (await _staff.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).EnsureSuccessStatusCode();
        // Care settings and thresholds are a clinician's to change (the admin registered the person and devices).
        using var clinician = await _platform.CreateStaffClientAsync("timeline-clinician", StaffRoles.Clinician);
        (await clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-settings", new { news2Scale = 2, onSupplementalOxygen = (bool?)null, reason = "Hypercapnic failure documented" })).EnsureSuccessStatusCode();
        (await clinician.PutAsJsonAsync($"/api/patients/{patientId}/thresholds", new { thresholds = new[] { new { kind = "heart_rate", low = 45.0, high = 110.0 } } })).EnsureSuccessStatusCode();

        var items = (await _staff.GetJsonAsync($"/api/patients/{patientId}/timeline")).EnumerateArray().ToList();

        // Seven days by default: the reading of ten days ago is left out.
        Assert.Equal(
            [("thresholds", "changed"), ("care_settings", "changed"), ("alert_event", "acknowledged"), ("alert_event", "raised"), ("telecare_event", "pendant_press"), ("reading", "spo2")],
            items.Select(i => (i.Str("kind"), i.Str("type"))));
        Assert.Equal("Thresholds changed: heart rate 40/50–100/130 → none/45–110/none", items[0].Str("text"));
        Assert.Equal(("NEWS2 scale 2, oxygen not known: Hypercapnic failure documented", "timeline-clinician"), (items[1].Str("text"), items[1].Str("actor")));
        Assert.Equal(("admin", "critical", alertId), (items[2].Str("actor"), items[2].Str("severity"), items[2].Str("alertId")));
        Assert.Equal(("spo2 96 %", oximeter.DeviceId), (items[5].Str("text"), items[5].Str("deviceId")));
        var all = (await _staff.GetJsonAsync($"/api/patients/{patientId}/timeline?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O"))}&limit=2")).EnumerateArray().ToList();
        Assert.Equal(["thresholds", "care_settings"], all.Select(i => i.Str("kind")));
        var month = (await _staff.GetJsonAsync($"/api/patients/{patientId}/timeline?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O"))}")).EnumerateArray().ToList();
        Assert.Equal(2, month.Count(i => i.Str("kind") == "reading"));

        using var south = await OtherTeamAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/api/patients/{patientId}/timeline")).StatusCode);
    }

    [Fact]
    public async Task Snoozes_in_force_are_listed_with_whose_and_until_and_only_to_the_team()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_staff, "Snoozed Person");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(_platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alertId = (await _staff.GetJsonAsync("/api/alerts")).EnumerateArray().Single(a => a.Str("patientId") == patientId).Str("id");
        var before = DateTimeOffset.UtcNow;
        (await _staff.PostAsJsonAsync($"/api/alerts/{alertId}/snooze", new { minutes = 20 })).EnsureSuccessStatusCode();

        var snooze = (await _staff.GetJsonAsync("/api/alerts/snoozes")).EnumerateArray().Single(s => s.Str("alertId") == alertId);

        Assert.Equal("admin", snooze.Str("staff"));
        var until = snooze.GetProperty("until").GetDateTimeOffset();
        // Stored to the millisecond: the lower bound allows for the cut.
        Assert.InRange(until, before.AddMinutes(20).AddMilliseconds(-1), DateTimeOffset.UtcNow.AddMinutes(20));
        using var south = await OtherTeamAsync();
        Assert.Empty((await south.GetJsonAsync("/api/alerts/snoozes")).EnumerateArray());

        (await _staff.DeleteAsync($"/api/alerts/{alertId}/snooze")).EnsureSuccessStatusCode();
        Assert.DoesNotContain((await _staff.GetJsonAsync("/api/alerts/snoozes")).EnumerateArray(), s => s.Str("alertId") == alertId);
    }
}
