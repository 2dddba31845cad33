using System.Net;
using System.Text;
using System.Text.Json;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// A person's monitoring plan and care-record changes tried through the API of the real platform: what staff can
/// plan, what is refused and why, the kept history, and an ACVPU assessment that re-scores NEWS2 on its own.
/// </summary>
public sealed class MonitoringPlanApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    /// <summary>Only clinicians change a person's plan or record an observation; the admin registers people and devices.</summary>
    private HttpClient Clinician => fixture.Clinician;

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task H15_a_plan_names_issued_devices_is_kept_with_its_history_and_saving_it_again_keeps_each_start()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Planned Person");
        var (cuff, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "blood_pressure_monitor");
        var (pendant, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        var body = $$"""
            {"timeZone":"Europe/London",
             "scheduledReadings":[{"kind":"systolic_bp","opens":"07:00","dueBy":"11:00","graceMinutes":30,"deviceId":"{{cuff}}"}],
             "activityWindows":[{"opens":"07:00","closes":"10:00","deviceId":"{{pendant}}"}],
             "heartbeats":[{"deviceId":"{{pendant}}","intervalMinutes":15}],
             "reason":"agreed at the first visit"}
            """;

        var first = await Clinician.PutAsync($"/api/patients/{patientId}/monitoring-plan", Body(body));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var saved = await first.Content.ReadFromJsonElementAsync();
        var scheduled = saved.GetProperty("scheduledReadings").EnumerateArray().Single();
        Assert.Equal(("systolic_bp", "07:00", "11:00", 30, cuff, "blood_pressure_monitor"),
            (scheduled.Str("kind"), scheduled.Str("opens"), scheduled.Str("dueBy"), scheduled.GetProperty("graceMinutes").GetInt32(), scheduled.Str("deviceId"), scheduled.Str("deviceType")));
        var heartbeat = saved.GetProperty("heartbeats").EnumerateArray().Single();
        Assert.Equal((pendant, "pendant_alarm", 15), (heartbeat.Str("deviceId"), heartbeat.Str("deviceType"), heartbeat.GetProperty("intervalMinutes").GetInt32()));
        var since = scheduled.GetProperty("since").GetDateTimeOffset();

        var again = await Clinician.PutAsync($"/api/patients/{patientId}/monitoring-plan", Body(body.Replace("agreed at the first visit", "reviewed", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var plan = await Staff.GetJsonAsync($"/api/patients/{patientId}/monitoring-plan");
        Assert.Equal(since, plan.GetProperty("scheduledReadings")[0].GetProperty("since").GetDateTimeOffset());
        Assert.Equal(1, plan.GetProperty("activityWindows").GetArrayLength());

        var history = (await Staff.GetJsonAsync($"/api/patients/{patientId}/monitoring-plan/history")).EnumerateArray().ToList();
        Assert.Equal([(1, "agreed at the first visit"), (2, "reviewed")], history.Select(h => (h.GetProperty("sequence").GetInt32(), h.Str("reason"))));
        Assert.All(history, h => Assert.Equal(PlatformFixture.ClinicianUsername, h.Str("changedBy")));
    }

    [Theory]
    [InlineData("no reason", """{"scheduledReadings":[],"reason":""}""", "reason")]
    [InlineData("unknown zone", """{"timeZone":"Mars/Olympus","reason":"r"}""", "timeZone")]
    [InlineData("an oximeter asked for a blood pressure", """{"scheduledReadings":[{"kind":"systolic_bp","dueBy":"11:00","deviceId":"{oximeter}"}],"reason":"r"}""", "scheduledReadings[0]")]
    [InlineData("a time that is not HH:mm", """{"scheduledReadings":[{"kind":"spo2","dueBy":"11am","deviceId":"{oximeter}"}],"reason":"r"}""", "scheduledReadings[0]")]
    [InlineData("an unknown vital", """{"scheduledReadings":[{"kind":"mood","dueBy":"11:00","deviceId":"{oximeter}"}],"reason":"r"}""", "scheduledReadings[0]")]
    [InlineData("another person's device", """{"heartbeats":[{"deviceId":"{stranger}","intervalMinutes":15}],"reason":"r"}""", "heartbeats[0]")]
    [InlineData("a heartbeat of no interval", """{"heartbeats":[{"deviceId":"{oximeter}"}],"reason":"r"}""", "heartbeats[0]")]
    [InlineData("a heartbeat of 10 days", """{"heartbeats":[{"deviceId":"{oximeter}","intervalMinutes":14400}],"reason":"r"}""", "heartbeats[0]")]
    public async Task H15_a_plan_that_cannot_be_watched_is_refused_naming_the_field(string because, string template, string field)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Refused Plan");
        var (oximeter, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        var other = await TelehealthPlatform.CreatePatientAsync(Staff, "Someone Else");
        var (stranger, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, other, "pendant_alarm");

        var response = await Clinician.PutAsync($"/api/patients/{patientId}/monitoring-plan",
            Body(template.Replace("{oximeter}", oximeter, StringComparison.Ordinal).Replace("{stranger}", stranger, StringComparison.Ordinal)));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        var errors = (await response.Content.ReadFromJsonElementAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/monitoring-plan/history")).GetArrayLength());
    }

    [Fact]
    public async Task Only_a_clinician_changes_a_plan_the_others_are_refused_naming_the_permission()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Guarded Plan");

        var response = await Staff.PutAsync($"/api/patients/{patientId}/monitoring-plan", Body("""{"reason":"r"}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("change_clinical_settings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/monitoring-plan/history")).GetArrayLength());
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_an_ACVPU_assessment_recorded_by_staff_re_scores_NEWS2_with_no_new_reading()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Drowsy Person");
        var (oximeter, oxSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        var (cuff, cuffSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "blood_pressure_monitor");
        var (thermometer, thermoSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "thermometer");
        // RR 22 (2) + SpO2 95 (1) + pulse 95 (1) + SBP 120 + 37.0 °C + air = 4: no NEWS2 flag.
        await using (var device = await MqttDevice.ConnectAsync(Platform, oximeter, oxSecret))
        {
            await device.PublishReadingsAsync("""[{"n":"respiratory_rate","u":"/min","v":22},{"n":"spo2","u":"%","v":95},{"n":"heart_rate","u":"beat/min","v":95}]""");
        }
        await using (var device = await MqttDevice.ConnectAsync(Platform, cuff, cuffSecret))
        {
            await device.PublishReadingsAsync("""[{"n":"systolic_bp","u":"mm[Hg]","v":120}]""");
        }
        await using (var device = await MqttDevice.ConnectAsync(Platform, thermometer, thermoSecret))
        {
            await device.PublishReadingsAsync("""[{"n":"body_temperature","u":"Cel","v":37.0}]""");
        }
        await Platform.SettledAsync();
        Assert.DoesNotContain((await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray(), a => a.Str("condition") == "news2");

        var recorded = await Clinician.PostAsync($"/api/patients/{patientId}/observations", Body("""{"kind":"consciousness","value":"voice"}"""));
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        await Platform.SettledAsync();

        var news2 = Assert.Single((await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray(), a => a.Str("condition") == "news2");
        Assert.Equal("critical", news2.Str("severity"));
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
