using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.TestSupport;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// Care facts staff set for a person, tried as a client would: thresholds in another unit, unknown oxygen, a change
/// of NEWS2 scale with its reason, and which thresholds judge a reading measured before a change.
/// </summary>
public sealed class CareSettingsTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    /// <summary>Thresholds and care settings are changed by clinicians only.</summary>
    private HttpClient Clinician => fixture.Clinician;

    [Fact]
    [Trait("Hazard", "H7")]
    public async Task H7_a_temperature_band_sent_in_fahrenheit_is_stored_in_celsius_and_a_normal_temperature_raises_nothing()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Fahrenheit Band");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "thermometer");

        var put = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body(
            """{"thresholds":[{"kind":"body_temperature","unit":"[degF]","criticalLow":95,"low":96.8,"high":100.4,"criticalHigh":102.2}]}"""));

        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var stored = (await Staff.GetJsonAsync($"/api/patients/{patientId}/thresholds")).GetProperty("overrides").EnumerateArray().Single();
        Assert.Equal("body_temperature", stored.Str("kind"));
        Assert.Equal("Cel", stored.Str("unit"));
        Assert.Equal(35.0, stored.GetProperty("criticalLow").GetDouble());
        Assert.Equal(36.0, stored.GetProperty("low").GetDouble());
        Assert.Equal(38.0, stored.GetProperty("high").GetDouble());
        Assert.Equal(39.0, stored.GetProperty("criticalHigh").GetDouble());

        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        await device.PublishReadingsAsync("""[{"n":"body_temperature","u":"Cel","v":36.8}]""");
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).GetArrayLength());
        await device.PublishReadingsAsync("""[{"n":"body_temperature","u":"Cel","v":38.5,"t":1}]""");
        var alert = Assert.Single((await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray(), a => a.Str("condition") == "threshold:body_temperature");
        Assert.Equal("medium", alert.Str("severity"));
    }

    [Theory]
    [InlineData("F")]
    [InlineData("degF")]
    [InlineData("cel")]
    [Trait("Hazard", "H7")]
    public async Task H7_a_threshold_in_a_unit_not_accepted_for_its_kind_is_refused_naming_the_unit(string unit)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Odd Unit");

        var put = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body(
            $$"""{"thresholds":[{"kind":"body_temperature","unit":"{{unit}}","low":96.8,"high":100.4}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("thresholds").EnumerateArray()).GetString()!;
        Assert.StartsWith("unknown_unit: body_temperature: unit '" + unit + "' is not accepted; use one of Cel, K, [degF]", message);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/thresholds")).GetProperty("overrides").GetArrayLength());
    }

    [Fact]
    [Trait("Hazard", "H7")]
    public async Task H7_plausibility_is_judged_after_conversion()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Plausible After");

        // 98.6 is a plausible number of °F but would be an impossible °C; 120 °F (48.9 °C) is outside 25–45 °C.
        var fine = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body("""{"thresholds":[{"kind":"body_temperature","unit":"[degF]","high":98.6}]}"""));
        var impossible = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body("""{"thresholds":[{"kind":"body_temperature","unit":"[degF]","high":120}]}"""));
        var kilopascals = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body("""{"thresholds":[{"kind":"systolic_bp","unit":"kPa","low":12,"high":20}]}"""));

        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, impossible.StatusCode);
        var problem = JsonDocument.Parse(await impossible.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("body_temperature: High (48.888889) is outside the plausible range 25–45 Cel.",
            Assert.Single(problem.GetProperty("errors").GetProperty("thresholds").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, kilopascals.StatusCode);
        var systolic = (await Staff.GetJsonAsync($"/api/patients/{patientId}/thresholds")).GetProperty("overrides").EnumerateArray().Single();
        Assert.Equal("mm[Hg]", systolic.Str("unit"));
        Assert.Equal(90.007389, systolic.GetProperty("low").GetDouble());
        Assert.Equal(150.012315, systolic.GetProperty("high").GetDouble());
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_oxygen_left_out_at_creation_is_unknown_and_NEWS2_on_scale_2_scores_it_as_missing()
    {
        var created = await Staff.PostJsonAsync("/api/patients", new { displayName = "Unknown Oxygen", news2Scale = 2 });
        var patientId = created.Str("id");
        var patient = await Staff.GetJsonAsync($"/api/patients/{patientId}");
        Assert.Equal(JsonValueKind.Null, patient.GetProperty("onSupplementalOxygen").ValueKind);
        Assert.Equal(2, patient.GetProperty("news2Scale").GetInt32());
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        // On scale 2, SpO2 97 scores 3 on oxygen and 0 on air: with oxygen unknown it must not be scored as air.
        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":72}]""");
        await Platform.SettledAsync();

        var assessment = await LatestRiskAssessmentAsync(patientId);
        var missing = assessment.Extension.Where(e => e.Url == "urn:telehealth:fhir:StructureDefinition:news2-missing-parameter")
            .Select(e => ((Coding)e.Value!).Code).ToList();
        Assert.Contains("air_or_oxygen", missing);
        Assert.Contains("oxygen_saturation", missing);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task H5_scale_and_oxygen_change_with_a_reason_and_each_change_is_kept_with_who_when_and_why()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Changing Care", news2Scale: 1, onOxygen: false);

        var noReason = await Clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-settings", new { news2Scale = 2, onSupplementalOxygen = true });
        var noOxygen = await Clinician.PutAsync($"/api/patients/{patientId}/care-settings", Body("""{"news2Scale":2,"reason":"COPD"}"""));
        var badScale = await Clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-settings", new { news2Scale = 3, onSupplementalOxygen = true, reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noOxygen.StatusCode);
        Assert.Contains("onSupplementalOxygen is required", await noOxygen.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badScale.StatusCode);

        var toScale2 = await Clinician.PutAsync($"/api/patients/{patientId}/care-settings",
            Body("""{"news2Scale":2,"onSupplementalOxygen":true,"reason":"Hypercapnic respiratory failure documented by the respiratory team"}"""));
        Assert.Equal(HttpStatusCode.OK, toScale2.StatusCode);
        var toUnknown = await Clinician.PutAsync($"/api/patients/{patientId}/care-settings",
            Body("""{"news2Scale":2,"onSupplementalOxygen":null,"reason":"Oxygen prescription being reviewed"}"""));
        Assert.Equal(HttpStatusCode.OK, toUnknown.StatusCode);

        var patient = await Staff.GetJsonAsync($"/api/patients/{patientId}");
        Assert.Equal(2, patient.GetProperty("news2Scale").GetInt32());
        Assert.Equal(JsonValueKind.Null, patient.GetProperty("onSupplementalOxygen").ValueKind);
        var history = (await Staff.GetJsonAsync($"/api/patients/{patientId}/care-settings/history")).EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(1, history[0].GetProperty("sequence").GetInt32());
        Assert.Equal(PlatformFixture.ClinicianUsername, history[0].Str("changedBy"));
        Assert.Equal("Hypercapnic respiratory failure documented by the respiratory team", history[0].Str("reason"));
        Assert.Equal(1, history[0].GetProperty("previousNews2Scale").GetInt32());
        Assert.False(history[0].GetProperty("previousOnSupplementalOxygen").GetBoolean());
        Assert.Equal(2, history[0].GetProperty("news2Scale").GetInt32());
        Assert.True(history[0].GetProperty("onSupplementalOxygen").GetBoolean());
        Assert.True(history[1].GetProperty("previousOnSupplementalOxygen").GetBoolean());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("onSupplementalOxygen").ValueKind);
        Assert.True(history[1].GetProperty("changedAt").GetDateTimeOffset() >= history[0].GetProperty("changedAt").GetDateTimeOffset());
    }

    [Fact]
    [Trait("Hazard", "H12")]
    public async Task Care_settings_of_another_teams_patient_are_not_found()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Other Team Care");
        var directory = (Telehealth.Clinician.Web.Auth.StaffDirectory)Platform.Services.GetService(typeof(Telehealth.Clinician.Web.Auth.StaffDirectory))!;
        var password = "care-" + Guid.NewGuid().ToString("N");
        await directory.UpsertAsync(new("nurse-care", "clinician", "team-care-other"), password);
        using var otherTeam = Platform.CreateAnonymousClient();
        otherTeam.DefaultRequestHeaders.Authorization = new("Bearer", await Platform.GetTokenAsync("nurse-care", password));

        var put = await otherTeam.PutAsync($"/api/patients/{patientId}/care-settings", Body("""{"news2Scale":2,"onSupplementalOxygen":true,"reason":"x"}"""));

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.GetAsync($"/api/patients/{patientId}/care-settings/history")).StatusCode);
        Assert.Equal(1, (await Staff.GetJsonAsync($"/api/patients/{patientId}")).GetProperty("news2Scale").GetInt32());
    }

    [Fact]
    [Trait("Hazard", "H13")]
    public async Task H13_a_reading_measured_before_a_threshold_change_is_judged_in_FHIR_and_by_the_alert_engine_against_the_thresholds_then_in_force()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Changed Limits");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        var measuredBefore = DateTimeOffset.UtcNow.AddMinutes(-10);
        var put = await Clinician.PutAsync($"/api/patients/{patientId}/thresholds", Body("""{"thresholds":[{"kind":"spo2","criticalLow":84,"low":88}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        // 92 % is Low against the defaults in force when it was measured (low 94, critical 91) and Normal against the new band (88).
        await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(measuredBefore)}},"n":"spo2","u":"%","v":92}]""");
        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":92}]""");
        await Platform.SettledAsync();

        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={patientId}&code=http://loinc.org%7C59408-5&_sort=date");
        var observations = bundle.Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        Assert.Equal(2, observations.Count);
        Assert.Equal("L", observations[0].Interpretation.Single().Coding.Single().Code);
        Assert.Equal("N", observations[1].Interpretation.Single().Coding.Single().Code);
        // The alert engine follows the same rule: the first reading, Low against the thresholds of its own time, raised
        // a threshold alert (from the defaults), and its history shows it raised once.
        var alert = Assert.Single((await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray(),
            a => a.Str("condition") == "threshold:spo2");
        Assert.Equal("medium", alert.Str("severity"));
        var history = (await Staff.GetJsonAsync($"/api/alerts/{alert.Str("id")}/events")).EnumerateArray().ToArray();
        Assert.Equal("raised", history[0].Str("eventType"));
        Assert.Contains("default low 94", history[0].Str("reason"));
    }

    private async Task<RiskAssessment> LatestRiskAssessmentAsync(string patientId)
    {
        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/RiskAssessment?patient={patientId}");
        return (RiskAssessment)bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>().OrderBy(r => r.Occurrence is FhirDateTime t ? t.Value : "").Last();
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
