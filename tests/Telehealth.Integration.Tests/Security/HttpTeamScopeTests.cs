using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Contracts.Rejections;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Staff;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// A member of staff of another team learns nothing about this team's patients or devices: rejections are scoped in the
/// query, an NHS number is unique only within a team, and patients of other teams are "not found".
/// </summary>
public sealed class HttpTeamScopeTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;

    /// <summary>The fixture's admin, of the default team.</summary>
    private HttpClient Admin => fixture.Staff;

    private SqliteRejectionLog Log => Platform.Services.GetRequiredService<SqliteRejectionLog>();

    private async Task<HttpClient> StaffOfAsync(string username, string team, string role = StaffRoles.Clinician)
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser(username, role, team), password);
        var client = Platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Platform.GetTokenAsync(username, password));
        return client;
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static List<(string? DeviceId, string Reason)> Items(JsonElement page) =>
        page.GetProperty("items").EnumerateArray()
            .Select(r => (r.GetProperty("deviceId").ValueKind == JsonValueKind.String ? r.Str("deviceId") : null, r.Str("reason")))
            .ToList();

    [Fact]
    public async Task Another_teams_nhs_number_is_no_oracle_the_duplicate_check_is_within_the_team()
    {
        using var south = await StaffOfAsync("nurse-south", "team-south");
        var body = """{"displayName":"Same Person","nhsNumber":"9434765919"}""";

        var first = await Admin.PostAsync("/api/patients", JsonBody(body));
        var otherTeam = await south.PostAsync("/api/patients", JsonBody(body));
        var sameTeamAgain = await south.PostAsync("/api/patients", JsonBody(body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherTeam.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, sameTeamAgain.StatusCode);
        Assert.Contains("your team", await sameTeamAgain.Content.ReadAsStringAsync());
        var southId = JsonDocument.Parse(await otherTeam.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/patients/{southId}")).StatusCode);
    }

    [Fact]
    public async Task Rejections_show_only_the_callers_team_devices_and_unattributed_ones_only_to_admins()
    {
        using var north = await StaffOfAsync("nurse-north", "team-community-rehab");
        using var east = await StaffOfAsync("nurse-east", "team-east");
        var homePatient = await TelehealthPlatform.CreatePatientAsync(Admin, "Home Team Person");
        var (homeDevice, homeSecret) = await TelehealthPlatform.RegisterDeviceAsync(Admin, homePatient);
        using var eastAdmin = await StaffOfAsync("admin-east", "team-east", StaffRoles.Admin); // devices are issued by admins
        var eastPatient = await TelehealthPlatform.CreatePatientAsync(east, "East Team Person");
        var (eastDevice, eastSecret) = await TelehealthPlatform.RegisterDeviceAsync(eastAdmin, eastPatient);
        await using (var home = await MqttDevice.ConnectAsync(Platform.MqttPort, homeDevice, homeSecret))
        await using (var away = await MqttDevice.ConnectAsync(Platform.MqttPort, eastDevice, eastSecret))
        {
            await home.PublishReadingsAsync("{not json");
            await away.PublishReadingsAsync("""[{"n":"heart_rate","u":"beat/min","v":4000}]""");
        }
        var unknownId = "dev-nobody-" + Guid.NewGuid().ToString("N")[..8];
        var (refused, _) = await MqttDevice.TryConnectAsync(Platform.MqttPort, unknownId, "whatever");
        Assert.Null(refused);

        var adminView = Items(await Admin.GetJsonAsync("/api/rejections?limit=1000"));
        var northView = Items(await north.GetJsonAsync("/api/rejections?limit=1000"));
        var eastView = Items(await east.GetJsonAsync("/api/rejections?limit=1000"));

        Assert.Contains((homeDevice, "malformed_json"), adminView);
        Assert.Contains((unknownId, "unknown_device"), adminView);
        Assert.DoesNotContain(adminView, r => r.DeviceId == eastDevice);
        Assert.Contains((homeDevice, "malformed_json"), northView);
        Assert.DoesNotContain(northView, r => r.DeviceId == unknownId || r.DeviceId == eastDevice || r.DeviceId is null);
        Assert.Equal([(eastDevice, "implausible_value")], eastView);
        Assert.Empty(Items(await east.GetJsonAsync($"/api/rejections?deviceId={homeDevice}")));
        var eastSummary = await east.GetJsonAsync("/api/rejections/summary");
        var onlyDevice = Assert.Single(eastSummary.GetProperty("devices").EnumerateArray());
        Assert.Equal(eastDevice, onlyDevice.Str("deviceId"));
        Assert.Equal(1, onlyDevice.GetProperty("total").GetInt64());
        Assert.Equal(1, onlyDevice.GetProperty("reasons").GetProperty("implausible_value").GetInt64());
        Assert.Equal(1, (await east.GetJsonAsync("/api/rejections")).GetProperty("counts").GetProperty("implausible_value").GetInt64());
    }

    [Fact]
    public async Task A_noisy_device_cannot_hide_a_quiet_one_filters_pages_and_summary_are_exact()
    {
        using var west = await StaffOfAsync("admin-west", "team-west", StaffRoles.Admin);
        var patient = await TelehealthPlatform.CreatePatientAsync(west, "West Person");
        var (noisy, _) = await TelehealthPlatform.RegisterDeviceAsync(west, patient);
        var (quiet, _) = await TelehealthPlatform.RegisterDeviceAsync(west, patient);
        var now = DateTimeOffset.UtcNow;
        for (var n = 0; n < 25; n++)
        {
            await Log.RecordAsync(new Rejection(now, noisy, "mqtt:readings", n % 5 == 0 ? RejectionReasons.UnknownUnit : RejectionReasons.MalformedJson, $"noise {n}"));
        }
        await Log.RecordAsync(new Rejection(now, quiet, "mqtt:readings", RejectionReasons.Implausible, "the one that matters"));

        var pages = new List<JsonElement>();
        var path = "/api/rejections?limit=10";
        while (true)
        {
            var page = await west.GetJsonAsync(path);
            pages.Add(page);
            if (page.GetProperty("nextBefore").ValueKind != JsonValueKind.Number)
            {
                break;
            }
            path = $"/api/rejections?limit=10&before={page.GetProperty("nextBefore").GetInt64()}";
        }
        var quietOnly = Items(await west.GetJsonAsync($"/api/rejections?deviceId={quiet}"));
        var unknownUnits = Items(await west.GetJsonAsync($"/api/rejections?deviceId={noisy}&reason=unknown_unit&limit=1000"));
        var summary = (await west.GetJsonAsync("/api/rejections/summary")).GetProperty("devices").EnumerateArray().ToList();

        Assert.Equal([10, 10, 6], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.Equal(26, pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(r => r.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.Equal("the one that matters", pages[0].GetProperty("items")[0].Str("detail"));
        Assert.Equal([(quiet, RejectionReasons.Implausible)], quietOnly);
        Assert.Equal(5, unknownUnits.Count);
        Assert.Equal([(noisy, 25L), (quiet, 1L)], summary.Select(d => (d.Str("deviceId"), d.GetProperty("total").GetInt64())));
        Assert.Equal(20, summary[0].GetProperty("reasons").GetProperty("malformed_json").GetInt64());
    }

    [Fact]
    public async Task Rejections_past_their_retention_are_pruned()
    {
        var patient = await TelehealthPlatform.CreatePatientAsync(Admin, "Retention Person");
        var (device, _) = await TelehealthPlatform.RegisterDeviceAsync(Admin, patient);
        var now = DateTimeOffset.UtcNow;
        await Log.RecordAsync(new Rejection(now.AddDays(-31), device, "mqtt:readings", RejectionReasons.MalformedJson, "old"));
        await Log.RecordAsync(new Rejection(now.AddDays(-29), device, "mqtt:readings", RejectionReasons.MalformedJson, "recent"));

        var (removed, _, _, _) = await Platform.Services.GetRequiredService<RetentionPruner>().PruneOnceAsync(CancellationToken.None);

        Assert.Equal(1, removed);
        var left = (await Admin.GetJsonAsync($"/api/rejections?deviceId={device}")).GetProperty("items").EnumerateArray().Select(r => r.Str("detail"));
        Assert.Equal(["recent"], left);
    }

    [Theory]
    [InlineData("""{"kind":"heart_rate","low":-100}""", "heart_rate: Low (-100) is outside the plausible range 20–300 beat/min.")]
    [InlineData("""{"kind":"heart_rate","high":1e300}""", "heart_rate: High (1E+300) is outside the plausible range 20–300 beat/min.")]
    [InlineData("""{"kind":"spo2","criticalLow":20}""", "spo2: CriticalLow (20) is outside the plausible range 50–100 %.")]
    public async Task A_threshold_no_reading_could_reach_is_refused_with_a_400_naming_the_vital_and_range(string threshold, string problem)
    {
        var patient = await TelehealthPlatform.CreatePatientAsync(Admin, "Threshold Person");

        var response = await fixture.Clinician.PutAsync($"/api/patients/{patient}/thresholds", JsonBody($$"""{"thresholds":[{{threshold}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("thresholds");
        Assert.Equal([problem], errors.EnumerateArray().Select(e => e.GetString()));
        Assert.Empty((await Admin.GetJsonAsync($"/api/patients/{patient}/thresholds")).GetProperty("overrides").EnumerateArray());
    }

    [Fact]
    public async Task A_conflicting_value_for_a_stored_reading_is_refused_with_a_reason_and_an_identical_repeat_is_a_duplicate()
    {
        var patient = await TelehealthPlatform.CreatePatientAsync(Admin, "Conflict Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Admin, patient);
        await using var device = await MqttDevice.ConnectAsync(Platform.MqttPort, deviceId, secret);
        var t = Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(-1));
        var original = $$"""[{"n":"heart_rate","u":"beat/min","v":72,"t":{{t}}}]""";

        var stored = await device.PublishReadingsAsync(original);
        var repeat = await device.PublishReadingsAsync(original);
        var conflicting = await device.PublishReadingsAsync($$"""[{"n":"heart_rate","u":"beat/min","v":33,"t":{{t}}}]""");
        var inOneMessage = await device.PublishReadingsAsync(
            $$"""[{"n":"spo2","u":"%","v":97,"t":{{t}}},{"n":"spo2","u":"%","v":88,"t":{{t}}}]""");

        Assert.Equal(MqttClientPublishReasonCode.Success, stored.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, repeat.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, conflicting.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, inOneMessage.ReasonCode);
        var readings = await Admin.GetJsonAsync($"/api/patients/{patient}/readings");
        Assert.Equal([("heart_rate", 72.0)], readings.EnumerateArray().Select(r => (r.Str("kind"), r.GetProperty("value").GetDouble())));
        var rejections = (await Admin.GetJsonAsync($"/api/rejections?deviceId={deviceId}")).GetProperty("items").EnumerateArray()
            .Select(r => (r.Str("reason"), r.Str("detail"))).Reverse().ToList();
        Assert.Equal(3, rejections.Count);
        Assert.All(rejections, r => Assert.Equal(RejectionReasons.ConflictingDuplicate, r.Item1));
        Assert.StartsWith("record 0: heart_rate at ", rejections[0].Item2);
        Assert.EndsWith("is already stored with a different value; the stored value is kept", rejections[0].Item2);
        Assert.EndsWith("has a different value in record 1; none of them is stored", rejections[1].Item2);
        Assert.EndsWith("has a different value in record 0; none of them is stored", rejections[2].Item2);
    }
}
