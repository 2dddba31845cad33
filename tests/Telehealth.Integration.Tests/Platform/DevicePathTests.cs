using System.Net;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>A device reading over MQTT becomes a stored reading and a live red flag, through the real platform.</summary>
public sealed class DevicePathTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task Readings_are_stored_once_with_the_device_time_and_read_back_through_the_api()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Stored Once");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        var measuredAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        var measuredAtMs = DateTimeOffset.FromUnixTimeMilliseconds(measuredAt.ToUnixTimeMilliseconds());
        var senml = $$"""[{"bn":"urn:dev:id:{{deviceId}}:","bt":{{Json.UnixSeconds(measuredAt)}},"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"/min","v":72,"t":1.5}]""";

        var first = await device.PublishReadingsAsync(senml);
        var repeat = await device.PublishReadingsAsync(senml);

        Assert.Equal(MqttClientPublishReasonCode.Success, first.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, repeat.ReasonCode);
        var readings = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal(2, readings.GetArrayLength());
        var spo2 = readings.EnumerateArray().Single(r => r.Str("kind") == "spo2");
        Assert.Equal(97, spo2.GetProperty("value").GetDouble());
        Assert.Equal("%", spo2.Str("unit"));
        Assert.Equal(measuredAtMs, spo2.GetProperty("deviceTime").GetDateTimeOffset());
        Assert.Equal(deviceId, spo2.Str("deviceId"));
        var pulse = readings.EnumerateArray().Single(r => r.Str("kind") == "heart_rate");
        Assert.Equal(72, pulse.GetProperty("value").GetDouble());
        Assert.Equal("beat/min", pulse.Str("unit"));
        Assert.Equal(measuredAtMs.AddSeconds(1.5), pulse.GetProperty("deviceTime").GetDateTimeOffset());

        var onlySpo2 = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings?kind=spo2");
        Assert.Equal(1, onlySpo2.GetArrayLength());
    }

    [Fact]
    public async Task A_breach_raises_one_alert_pushed_live_a_repeat_is_counted_and_acknowledgement_is_pushed()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Live Alert");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var listener = await AlertListener.ConnectAsync(Platform.BaseAddress, await Platform.GetTokenAsync());
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        var raised = await listener.WaitForAsync("alertRaised", a => a.Str("patientId") == patientId && a.Str("condition") == "threshold:spo2");

        Assert.Equal("critical", raised.Str("severity"));
        Assert.Equal("threshold:spo2", raised.Str("condition"));
        Assert.Equal("Live Alert", raised.Str("patientName"));
        Assert.Contains("SpO2", raised.Str("reason"));
        Assert.Equal("open", raised.Str("status"));
        Assert.Equal(1, raised.GetProperty("occurrences").GetInt32());
        var alertId = raised.Str("id");

        // A repeat at the same severity is counted in the alert, not pushed: a value hovering low is one alert.
        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":85}]""");
        var repeated = await Staff.GetJsonAsync($"/api/alerts/{alertId}");
        Assert.Equal((2, "critical"), (repeated.GetProperty("occurrences").GetInt32(), repeated.Str("severity")));

        // SpO2 86 % also scores 3 in NEWS2 (a single red score), which is its own, partial, alert.
        var active = await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}");
        Assert.Equal(["news2", "threshold:spo2"], active.EnumerateArray().Select(a => a.Str("condition")).Order().ToArray());
        Assert.Equal(alertId, active.EnumerateArray().Single(a => a.Str("condition") == "threshold:spo2").Str("id"));
        var news2 = active.EnumerateArray().Single(a => a.Str("condition") == "news2");
        Assert.Equal("medium", news2.Str("severity"));
        Assert.Contains("partial", news2.Str("reason"));

        var acknowledged = await Staff.PostJsonAsync($"/api/alerts/{alertId}/acknowledge", new { });
        Assert.Equal("acknowledged", acknowledged.Str("status"));
        Assert.Equal("admin", acknowledged.Str("acknowledgedBy"));
        await listener.WaitForAsync("alertUpdated", a => a.Str("id") == alertId && a.Str("status") == "acknowledged");
        Assert.Equal(1, listener.Received.Count(r => r.Method == "alertRaised" && r.Alert.Str("id") == alertId));
        Assert.Equal(2, listener.Received.Count(r => r.Method == "alertRaised" && r.Alert.Str("patientId") == patientId));
    }

    [Fact]
    public async Task A_pendant_press_is_an_immediate_critical_red_flag()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Pendant Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        await using var listener = await AlertListener.ConnectAsync(Platform.BaseAddress, await Platform.GetTokenAsync());
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret, MqttProtocolVersion.V311);

        var result = await device.PublishEventAsync("""{"event":"pendant_press"}""");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var raised = await listener.WaitForAsync("alertRaised", a => a.Str("patientId") == patientId);
        Assert.Equal("critical", raised.Str("severity"));
        Assert.Equal("event:pendant_press", raised.Str("condition"));
        var events = await Staff.GetJsonAsync($"/api/patients/{patientId}/events");
        Assert.Equal(1, events.GetArrayLength());
    }

    [Fact]
    public async Task Personal_thresholds_replace_the_defaults_for_that_person_only()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Copd Person", news2Scale: 2);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        var put = await fixture.Clinician.PutAsync($"/api/patients/{patientId}/thresholds", JsonBody("""{"thresholds":[{"kind":"spo2","criticalLow":84,"low":88}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        // Measured after the personal band was set (a reading is judged by the bands in force at its own time).
        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":89}]""");
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).GetArrayLength());

        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":83}]""");
        var alerts = await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}");
        var spo2Alert = Assert.Single(alerts.EnumerateArray(), a => a.Str("condition") == "threshold:spo2");
        Assert.Equal("critical", spo2Alert.Str("severity"));
        Assert.Contains("personal", spo2Alert.Str("reason"));

        var invalid = await fixture.Clinician.PutAsync($"/api/patients/{patientId}/thresholds", JsonBody("""{"thresholds":[{"kind":"spo2","low":95,"criticalLow":97}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Patient_data_needs_a_staff_token()
    {
        using var anonymous = Platform.CreateAnonymousClient();
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Private Person");
        foreach (var path in new[] { "/api/patients", $"/api/patients/{patientId}", $"/api/patients/{patientId}/readings", "/api/alerts", "/api/devices", "/api/rejections" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/patients", JsonBody("""{"displayName":"X"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/alerts/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/auth/token", JsonBody("""{"username":"admin","password":"wrong"}"""))).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/patients")).StatusCode);
    }

    [Fact]
    public async Task Staff_see_only_their_own_teams_patients_and_alerts()
    {
        var otherTeamPassword = "other-" + Guid.NewGuid().ToString("N");
        var directory = (Telehealth.Clinician.Web.Auth.StaffDirectory)Platform.Services.GetService(typeof(Telehealth.Clinician.Web.Auth.StaffDirectory))!;
        await directory.UpsertAsync(new("nurse-b", "clinician", "team-other"), otherTeamPassword);
        using var otherTeam = Platform.CreateAnonymousClient();
        otherTeam.DefaultRequestHeaders.Authorization = new("Bearer", await Platform.GetTokenAsync("nurse-b", otherTeamPassword));
        await using var otherListener = await AlertListener.ConnectAsync(Platform.BaseAddress, await Platform.GetTokenAsync("nurse-b", otherTeamPassword));
        await using var ownListener = await AlertListener.ConnectAsync(Platform.BaseAddress, await Platform.GetTokenAsync());

        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Team A Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "fall_detector");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        await device.PublishEventAsync("""{"event":"fall_detected"}""");
        await ownListener.WaitForAsync("alertRaised", a => a.Str("patientId") == patientId);

        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.GetAsync($"/api/patients/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.GetAsync($"/api/patients/{patientId}/readings")).StatusCode);
        Assert.DoesNotContain((await otherTeam.GetJsonAsync("/api/patients")).EnumerateArray(), p => p.Str("id") == patientId);
        Assert.DoesNotContain((await otherTeam.GetJsonAsync("/api/alerts?status=all")).EnumerateArray(), a => a.Str("patientId") == patientId);
        Assert.DoesNotContain(otherListener.Received, r => r.Alert.Str("patientId") == patientId);
        var alertId = (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}"))[0].Str("id");
        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);
    }

    internal static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
