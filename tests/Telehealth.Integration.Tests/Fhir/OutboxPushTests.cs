using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Telehealth.CareRecord.News2;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>The real platform pushing its care record to a FHIR server run by the test.</summary>
public sealed class OutboxPushTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;
    private TelehealthPlatform _platform = null!;
    private HttpClient _staff = null!;

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync();
        _platform = await TelehealthPlatform.StartAsync(OutboxHarness.Settings(_server));
        _staff = await _platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        _staff.Dispose();
        await _platform.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Patient_devices_readings_and_a_pendant_press_arrive_once_each_in_order_and_acknowledgement_updates_the_tasks()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_staff, "Fhir Happy");
        var (oximeterId, oximeterSecret) = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "pulse_oximeter");
        var (pendantId, pendantSecret) = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "pendant_alarm");
        await using var oximeter = await MqttDevice.ConnectAsync(_platform, oximeterId, oximeterSecret);
        await using var pendant = await MqttDevice.ConnectAsync(_platform, pendantId, pendantSecret);

        await oximeter.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(-5))}},"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"/min","v":72}]""");
        await oximeter.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        await pendant.PublishEventAsync("""{"event":"pendant_press"}""");

        var alerts = (await _staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray().ToArray();
        Assert.Equal(["event:pendant_press", "news2", "threshold:spo2"], alerts.Select(a => a.Str("condition")).Order().ToArray());
        var assessments = await _platform.Services.GetRequiredService<INews2AssessmentStore>().ListAsync(patientId);
        Assert.NotEmpty(assessments);
        // Patient, 2 devices, 3 vital Observations + the pendant press, one RiskAssessment per assessment, 3 Flags, and a
        // follow-up Task for each (High SpO2, NEWS2, a telecare event).
        var expected = new Dictionary<string, int>
        {
            ["Patient"] = 1, ["Device"] = 2, ["Observation"] = 4, ["RiskAssessment"] = assessments.Count, ["Flag"] = 3, ["Task"] = 3,
        };

        var drained = await _staff.WaitUntilDrainedAsync(minimumSent: expected.Values.Sum());

        Assert.Equal((0, expected.Values.Sum(), 0), (drained.Pending, drained.Sent, drained.Failed));
        foreach (var (type, count) in expected)
        {
            var current = _server.Current(type);
            Assert.Equal(count, current.Count);
            Assert.Equal(count, current.Select(r => r["identifier"]![0].Text("system") + "|" + r["identifier"]![0].Text("value")).Distinct().Count());
        }
        Assert.Equal(expected.Values.Sum(), _server.Writes.Count);
        var values = _server.Current("Observation")
            .Where(o => o["valueQuantity"] is not null)
            .Select(o => $"{o["valueQuantity"].Text("code")} {o["valueQuantity"]!["value"]!.GetValue<decimal>()}")
            .Order().ToArray();
        Assert.Equal(["% 86", "% 97", "/min 72"], values);
        Assert.Equal($"Patient/{patientId}", Assert.Single(_server.Current("Patient"))["id"]!.GetValue<string>() is var id ? $"Patient/{id}" : null);
        Assert.Equal(["Patient/" + patientId], _server.ArrivedInOrder(patientId).Take(1));
        Assert.Equal(drained.SentInOrder(patientId), _server.ArrivedInOrder(patientId));
        _server.AssertReferencesArrivedFirst(patientId);

        // Acknowledged, both alerts are with a member of staff: each Task moves to in-progress, and each Flag,
        // unchanged (still active: a pendant press is resolved by staff with an outcome), is not sent again.
        var pendantAlert = alerts.Single(a => a.Str("condition") == "event:pendant_press").Str("id");
        var spo2Alert = alerts.Single(a => a.Str("condition") == "threshold:spo2").Str("id");
        await _staff.PostJsonAsync($"/api/alerts/{pendantAlert}/acknowledge", new { });
        await _staff.PostJsonAsync($"/api/alerts/{spo2Alert}/acknowledge", new { });
        var afterAcknowledge = await _staff.WaitUntilDrainedAsync(minimumSent: expected.Values.Sum() + 2);

        Assert.Equal((0, expected.Values.Sum() + 2, 0), (afterAcknowledge.Pending, afterAcknowledge.Sent, afterAcknowledge.Failed));
        Assert.Equal(["active"], StatusesOf("Flag", pendantAlert));
        Assert.Equal(["requested", "in-progress"], StatusesOf("Task", pendantAlert));
        Assert.Equal(["active"], StatusesOf("Flag", spo2Alert));
        Assert.Equal(["requested", "in-progress"], StatusesOf("Task", spo2Alert));
        Assert.Equal(afterAcknowledge.SentInOrder(patientId), _server.ArrivedInOrder(patientId));
    }

    [Fact]
    public async Task Blood_pressure_halves_sent_apart_still_give_the_record_a_complete_panel()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_staff, "Fhir Split Cuff");
        var (cuffId, cuffSecret) = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "blood_pressure_monitor");
        await using var cuff = await MqttDevice.ConnectAsync(_platform, cuffId, cuffSecret);
        var measuredAt = Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(-2));

        await cuff.PublishReadingsAsync($$"""[{"bt":{{measuredAt}},"n":"systolic_bp","u":"mm[Hg]","v":128}]""");
        await cuff.PublishReadingsAsync($$"""[{"bt":{{measuredAt}},"n":"diastolic_bp","u":"mm[Hg]","v":82}]""");
        await _staff.WaitUntilDrainedAsync(minimumSent: 4);

        var panels = _server.Writes.Where(w => w.ResourceType == "Observation" && w.PatientId == patientId).Select(w => w.Json).ToArray();
        Assert.Equal(2, panels.Length);
        var components = (System.Text.Json.Nodes.JsonArray)panels[^1]["component"]!;
        Assert.Equal([128m, 82m], components.Select(c => c!["valueQuantity"]!["value"]!.GetValue<decimal>()).ToArray());
        Assert.Null(panels[^1]["valueQuantity"]);
    }

    [Fact]
    public async Task A_rejected_resource_is_kept_as_failed_with_the_servers_operation_outcome_and_does_not_hold_up_later_data()
    {
        const string diagnostics = "Task.owner: minimum required = 1 (profile https://example.org/fhir/StructureDefinition/call-task)";
        _server.FailAlways(FhirTestFault.Reject("Task", diagnostics));
        var patientId = await TelehealthPlatform.CreatePatientAsync(_staff, "Fhir Rejected");
        // A telecare hub: it relays both the pendant's press and the fall detector's fall below (a pendant alone may
        // not send a fall).
        var (pendantId, pendantSecret) = await TelehealthPlatform.RegisterDeviceAsync(_staff, patientId, "telecare_hub");
        await using var pendant = await MqttDevice.ConnectAsync(_platform, pendantId, pendantSecret);

        await pendant.PublishEventAsync("""{"event":"pendant_press"}""");
        var settled = await Eventually.GetAsync(() => _staff.GetOutboxAsync(), view => view.Pending == 0 && view.Failed == 1);

        // Patient, Device, the press Observation and its Flag went through; the Task did not.
        Assert.Equal((0, 4, 1), (settled.Pending, settled.Sent, settled.Failed));
        var failed = Assert.Single((await _staff.GetOutboxAsync("failed")).Entries);
        Assert.Equal(("Task", "failed", 400, 1), (failed.ResourceType, failed.Status, failed.LastStatusCode, failed.Attempts));
        var outcome = JsonNode.Parse(failed.LastError!)!;
        Assert.Equal("OperationOutcome", outcome.Text("resourceType"));
        Assert.Equal(diagnostics, outcome["issue"]![0].Text("diagnostics"));
        Assert.Empty(_server.Current("Task"));

        // A later event of the same person is not blocked by the failed Task, and the Task is not retried.
        await pendant.PublishEventAsync($$"""{"event":"fall_detected","t":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddSeconds(-1))}}}""");
        var later = await Eventually.GetAsync(() => _staff.GetOutboxAsync(), view => view.Pending == 0 && view.Failed == 2);
        Assert.Equal(6, later.Sent);
        Assert.Equal(2, _server.Current("Observation").Count);
        Assert.Equal(2, _server.Current("Flag").Count);
        Assert.All((await _staff.GetOutboxAsync("failed")).Entries, entry => Assert.Equal(("Task", 1), (entry.ResourceType, entry.Attempts)));
    }

    [Fact]
    public async Task H9_a_reassigned_then_collected_device_is_sent_again_naming_its_new_person_then_none()
    {
        var ada = await TelehealthPlatform.CreatePatientAsync(_staff, "Fhir Device Ada");
        var bert = await TelehealthPlatform.CreatePatientAsync(_staff, "Fhir Device Bert");
        var (deviceId, _) = await TelehealthPlatform.RegisterDeviceAsync(_staff, ada, "pulse_oximeter");
        // Two Patients and the Device.
        await _staff.WaitUntilDrainedAsync(minimumSent: 3);

        await _staff.PostJsonAsync($"/api/devices/{deviceId}/assign", new { patientId = bert });
        await _staff.WaitUntilDrainedAsync(minimumSent: 4);
        var assigned = Assert.Single(_server.Current("Device"));

        await _staff.PostJsonAsync($"/api/devices/{deviceId}/retrieve", new { });
        await _staff.WaitUntilDrainedAsync(minimumSent: 5);
        var collected = Assert.Single(_server.Current("Device"));

        Assert.Equal(($"Patient/{bert}", "active"), (assigned["patient"]!["reference"]!.GetValue<string>(), assigned.Text("status")));
        Assert.Equal("inactive", collected.Text("status"));
        Assert.Null(collected["patient"]);
    }

    private string[] StatusesOf(string type, string alertId) =>
        _server.Writes.Where(w => w.ResourceType == type && w.Identifier!.EndsWith("|" + alertId, StringComparison.Ordinal))
            .OrderBy(w => w.Arrival).Select(w => w.Status!).ToArray();
}
