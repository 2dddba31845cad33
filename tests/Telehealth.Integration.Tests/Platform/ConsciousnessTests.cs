using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.Integration.Tests.Security;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>ACVPU consciousness recorded by staff over HTTP and reported by a device over MQTT, kept and sent as FHIR.</summary>
[Trait("Hazard", "H5")]
public sealed class ConsciousnessTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    /// <summary>Clinical observations are recorded by clinicians only.</summary>
    private HttpClient Clinician => fixture.Clinician;

    [Fact]
    public async Task H5_staff_record_new_confusion_and_it_is_stored_with_who_and_when_and_served_as_a_FHIR_Observation()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Confused Person");
        var observedAt = new DateTimeOffset(DateTime.UtcNow.AddMinutes(-20).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

        var created = await Clinician.PostAsJsonAsync($"/api/patients/{patientId}/observations", new { kind = "consciousness", value = "new_confusion", observedAt });
        var repeat = await Clinician.PostAsJsonAsync($"/api/patients/{patientId}/observations", new { kind = "consciousness", value = "new_confusion", observedAt });
        var conflict = await Clinician.PostAsJsonAsync($"/api/patients/{patientId}/observations", new { kind = "consciousness", value = "alert", observedAt });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("conflicting_duplicate", await conflict.Content.ReadAsStringAsync());
        var stored = Assert.Single((await Staff.GetJsonAsync($"/api/patients/{patientId}/observations?kind=consciousness")).EnumerateArray());
        Assert.Equal(("consciousness", "new_confusion", "staff", PlatformFixture.ClinicianUsername),
            (stored.Str("kind"), stored.Str("value"), stored.Str("source"), stored.Str("sourceId")));
        Assert.Equal(observedAt, stored.GetProperty("observedAt").GetDateTimeOffset());

        var observation = await ServedObservationAsync($"{patientId}.acvpu.{observedAt.ToUnixTimeMilliseconds()}");
        var code = observation.GetProperty("code").GetProperty("coding")[0];
        Assert.Equal(("http://loinc.org", "67775-7"), (code.Str("system"), code.Str("code")));
        var value = observation.GetProperty("valueCodeableConcept").GetProperty("coding")[0];
        Assert.Equal(("urn:telehealth:fhir:CodeSystem:acvpu", "new_confusion"), (value.Str("system"), value.Str("code")));
        Assert.Equal($"Patient/{patientId}", observation.GetProperty("subject").Str("reference"));
        Assert.Equal(PlatformFixture.ClinicianUsername, observation.GetProperty("performer")[0].Str("display"));
        Assert.Equal("A", observation.GetProperty("interpretation")[0].GetProperty("coding")[0].Str("code"));

        // The same Observation is served by /fhir: searched by its LOINC code and read by id.
        var id = $"{patientId}.acvpu.{observedAt.ToUnixTimeMilliseconds()}";
        var bundle = await Staff.GetOkAsync<Hl7.Fhir.Model.Bundle>($"/fhir/Observation?patient={patientId}&code=http://loinc.org%7C67775-7");
        var served = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Observation>());
        Assert.Equal(id, served.Id);
        Assert.Equal("new_confusion", ((Hl7.Fhir.Model.CodeableConcept)served.Value!).Coding[0].Code);
        Assert.Equal(id, (await Staff.GetOkAsync<Hl7.Fhir.Model.Observation>($"/fhir/Observation/{id}")).Id);
        Assert.Empty((await Staff.GetOkAsync<Hl7.Fhir.Model.Bundle>($"/fhir/Observation?patient={patientId}&category=vital-signs")).Entry);
    }

    [Fact]
    public async Task H5_recorded_new_confusion_scores_in_NEWS2_instead_of_showing_as_missing()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Scored Confusion Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        var observedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var created = await Clinician.PostAsJsonAsync($"/api/patients/{patientId}/observations", new { kind = "consciousness", value = "new_confusion", observedAt });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using (var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret))
        {
            // Normal SpO2 and pulse: without the recorded confusion there would be nothing to flag.
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":72}]""");
        }

        var news2 = Assert.Single((await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray(), a => a.Str("condition") == "news2");
        Assert.Contains("consciousness 3", news2.Str("reason"));
        // Not listed among the missing parameters any more.
        Assert.DoesNotContain("consciousness", news2.Str("reason").Split("partial:").Skip(1).FirstOrDefault() ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"consciousness","value":"confused"}""", "value", "unknown_value: value 'confused' is not an ACVPU level; use one of alert, new_confusion, voice, pain, unresponsive.")]
    [InlineData("""{"kind":"consciousness","value":"Alert"}""", "value", "unknown_value: value 'Alert' is not an ACVPU level; use one of alert, new_confusion, voice, pain, unresponsive.")]
    [InlineData("""{"kind":"gcs","value":"alert"}""", "kind", "unknown_name: kind 'gcs' is not recorded here; use 'consciousness'.")]
    [InlineData("""{"kind":"consciousness","value":"alert","observedAt":"2099-01-01T00:00:00Z"}""", "observedAt", "future_timestamp: observedAt is in the future.")]
    public async Task Staff_observations_outside_the_vocabulary_are_refused_with_a_reason(string body, string field, string message)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Refused Entry");

        var response = await Clinician.PostAsync($"/api/patients/{patientId}/observations", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(message, Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString());
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/observations")).GetArrayLength());
    }

    [Fact]
    public async Task H5_a_device_reports_consciousness_in_SenML_and_anything_outside_ACVPU_is_refused_with_a_reason()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Device Assessed");
        // An oximeter: the heart rate beside the assessments must be something its type may send (a telecare hub
        // sends no vital signs); consciousness is not limited by device type.
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var atMs = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

        var publish = await device.PublishReadingsAsync($$"""
            [{"bn":"urn:dev:id:{{deviceId}}:","bt":{{Json.UnixSeconds(at)}},"n":"consciousness","vs":"voice"},
             {"n":"consciousness","vs":"drowsy","t":1},
             {"n":"consciousness","v":2,"t":2},
             {"n":"consciousness","vs":"alert","u":"%","t":3},
             {"n":"heart_rate","u":"beat/min","v":88}]
            """);

        Assert.Equal(MqttClientPublishReasonCode.Success, publish.ReasonCode);
        var stored = Assert.Single((await Staff.GetJsonAsync($"/api/patients/{patientId}/observations")).EnumerateArray());
        Assert.Equal(("voice", "device", deviceId), (stored.Str("value"), stored.Str("source"), stored.Str("sourceId")));
        Assert.Equal(atMs, stored.GetProperty("observedAt").GetDateTimeOffset());
        Assert.Equal(1, (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
        Assert.Equal(["unknown_unit", "unknown_value", "unknown_value"], await Rejections.ReasonsOfDeviceAsync(Staff, deviceId));

        var observation = await ServedObservationAsync($"{patientId}.acvpu.{atMs.ToUnixTimeMilliseconds()}");
        Assert.Equal($"Device/{deviceId}", observation.GetProperty("device").Str("reference"));
        Assert.Equal("300202002", observation.GetProperty("valueCodeableConcept").GetProperty("coding")[1].Str("code"));
    }

    /// <summary>
    /// The Observation as <c>/fhir</c> serves it from the care record. (With no FHIR server configured, as here, nothing
    /// is queued for pushing; <c>OutboxWithoutServerTests</c> shows the same Observation pushed once a server is set.)
    /// </summary>
    private async Task<JsonElement> ServedObservationAsync(string resourceId) =>
        (await Staff.GetJsonAsync($"/fhir/Observation/{resourceId}")).Clone();
}
