using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.News2;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>
/// With no FHIR server configured (the embedded default) nothing is queued for pushing: the outbox grew by every
/// reading's Observation, pending forever. The care record still serves every resource at /fhir. A server set later
/// (a restart on the same data) gets each person and their devices first, then what comes into being from then on, the
/// Flag and Task of every alert in the log, and the Observations a first RiskAssessment names from before, so it never
/// holds a reference it cannot resolve. The real platform, its SQLite file, and a FHIR server run by the test.
/// </summary>
public sealed class OutboxWithoutServerTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FhirTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Without_a_server_nothing_is_queued_and_a_server_set_later_gets_the_person_what_follows_and_every_alert_with_no_dangling_reference()
    {
        string patientId, deviceId, thermometerId, thermometerSecret, dataDirectory, adminPassword;
        string[] alertConditions;
        int assessmentsBefore;
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-10);

        await using (var platform = await TelehealthPlatform.StartAsync())
        {
            platform.KeepData = true;
            (dataDirectory, adminPassword) = (platform.DataDirectory, platform.AdminPassword);
            using var staff = await platform.CreateStaffClientAsync();
            patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Pushed Later");
            (deviceId, var secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
            (thermometerId, thermometerSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "thermometer");
            await using (var oximeter = await MqttDevice.ConnectAsync(platform, deviceId, secret))
            {
                await oximeter.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(earlier)}},"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"/min","v":72}]""");
                await oximeter.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(earlier.AddMinutes(5))}},"n":"spo2","u":"%","v":86}]""");
            }
            await platform.SettledAsync();

            alertConditions = [.. (await staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray().Select(a => a.Str("condition")).Order()];
            Assert.Equal(["news2", "threshold:spo2"], alertConditions);
            assessmentsBefore = (await platform.Services.GetRequiredService<INews2AssessmentStore>().ListAsync(patientId)).Count;
            Assert.True(assessmentsBefore > 0);
            // Nothing queued, no follower writing Flags, and the care record still served as FHIR.
            var outbox = await staff.GetOutboxAsync();
            Assert.Equal((0, 0, 0, 0), (outbox.Pending, outbox.Sent, outbox.Failed, outbox.Entries.Count));
            Assert.DoesNotContain("fhir-outbox", platform.Services.GetServices<IAlertEventFollower>().Select(f => f.Name));
            Assert.Equal(3, (await staff.GetJsonAsync($"/fhir/Observation?patient={patientId}")).GetProperty("total").GetInt32());
        }

        await using (var platform = await TelehealthPlatform.StartAsync(OutboxHarness.Settings(_server), dataDirectory, adminPassword))
        {
            using var staff = await platform.CreateStaffClientAsync();
            using var clinician = await platform.CreateStaffClientAsync("clinician.later", "clinician");
            await using (var thermometer = await MqttDevice.ConnectAsync(platform, thermometerId, thermometerSecret))
            {
                await thermometer.PublishReadingsAsync("""[{"n":"body_temperature","u":"Cel","v":37.1}]""");
            }
            // Evaluated before the ACVPU is recorded: two passes, so the one new assessment is sent, then re-scored.
            await platform.SettledAsync();
            var observedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
            var recorded = await clinician.PostAsJsonAsync($"/api/patients/{patientId}/observations", new { kind = "consciousness", value = "alert", observedAt });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            await platform.SettledAsync();

            var assessments = await platform.Services.GetRequiredService<INews2AssessmentStore>().ListAsync(patientId);
            Assert.Equal(assessmentsBefore + 1, assessments.Count);
            // Patient, both Devices; the new temperature and ACVPU Observations and the new assessment's basis from
            // before (SpO2 86, heart rate 72); the new RiskAssessment; a Flag and a Task for each alert in the log.
            var expected = new Dictionary<string, int>
            {
                ["Patient"] = 1, ["Device"] = 2, ["Observation"] = 4, ["RiskAssessment"] = 1,
                ["Flag"] = alertConditions.Length, ["Task"] = alertConditions.Length,
            };
            // The assessment is sent twice: made with the temperature, then re-scored with the ACVPU (same basis readings).
            var writes = expected.Values.Sum() + 1;
            var drained = await staff.WaitUntilDrainedAsync(minimumSent: writes);

            Assert.Equal((0, writes, 0), (drained.Pending, drained.Sent, drained.Failed));
            Assert.Equal([1, 2], _server.Writes.Where(w => w.ResourceType == "RiskAssessment").Select(w => w.VersionId));
            foreach (var (type, count) in expected)
            {
                Assert.Equal(count, _server.Current(type).Count);
            }
            Assert.Equal(writes, _server.Writes.Count);
            Assert.Equal(new[] { $"Device/{deviceId}", $"Device/{thermometerId}" }.Order(), _server.ArrivedInOrder(patientId)[1..3].Order());
            var observations = _server.Current("Observation")
                .Select(o => o["valueQuantity"] is { } quantity
                    ? $"{quantity.Text("code")} {quantity["value"]!.GetValue<decimal>()}"
                    : o["code"]!["coding"]![0].Text("code")!)
                .Order().ToArray();
            // The first SpO2 (97) is in no assessment's basis any more: stored before the server was set, it is not sent.
            Assert.Equal(["% 86", "/min 72", "67775-7", "Cel 37.1"], observations);
            Assert.Equal(["Patient/" + patientId], _server.ArrivedInOrder(patientId).Take(1));
            _server.AssertReferencesArrivedFirst(patientId);
        }
    }
}
