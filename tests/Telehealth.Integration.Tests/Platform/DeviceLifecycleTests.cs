using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Observation = Hl7.Fhir.Model.Observation;
using MQTTnet;
using MQTTnet.Formatter;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The device lifecycle through the real platform: assignment history and attribution at each reading's own time,
/// retrieval, revocation and rotation at the live MQTT edge, checks by device type, and what staff see of a device.
/// </summary>
[Trait("Hazard", "H9")]
public sealed class DeviceLifecycleTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task H9_a_reading_is_filed_under_whoever_had_the_device_at_its_own_time_also_after_reassignment()
    {
        var ada = await TelehealthPlatform.CreatePatientAsync(Staff, "Ada Reassigned");
        var bert = await TelehealthPlatform.CreatePatientAsync(Staff, "Bert Reassigned");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, ada);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        var whileAda = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds());
        await device.PublishReadingsAsync(Spo2At(whileAda, 95));
        var measuredBeforeHandover = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());

        var assigned = await Staff.PostJsonAsync($"/api/devices/{deviceId}/assign", new { patientId = bert });

        Assert.Equal((bert, "assigned"), (assigned.Str("patientId"), assigned.Str("status")));
        // Measured on Ada's watch but delivered after the handover (the device was offline): still Ada's.
        await device.PublishReadingsAsync(Spo2At(measuredBeforeHandover, 93));
        var afterHandover = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds());
        await device.PublishReadingsAsync(Spo2At(afterHandover, 98));

        var adaValues = await Spo2ValuesAsync(ada);
        var bertValues = await Spo2ValuesAsync(bert);
        Assert.Equal([93.0, 95.0], adaValues);
        Assert.Equal([98.0], bertValues);
        var history = await Staff.GetJsonAsync($"/api/devices/{deviceId}/assignments");
        Assert.Equal([ada, bert], history.EnumerateArray().Select(a => a.Str("patientId")).ToArray());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("from").ValueKind);
        Assert.Equal(history[0].GetProperty("to").GetDateTimeOffset(), history[1].GetProperty("from").GetDateTimeOffset());

        // Reading an Observation by id follows the assignment at its time, not the device's current person.
        var adas = await Staff.GetOkAsync<Observation>($"/fhir/Observation/{deviceId}.spo2.{measuredBeforeHandover.ToUnixTimeMilliseconds()}");
        Assert.Equal($"Patient/{ada}", adas.Subject!.Reference);
        var berts = await Staff.GetOkAsync<Observation>($"/fhir/Observation/{deviceId}.spo2.{afterHandover.ToUnixTimeMilliseconds()}");
        Assert.Equal($"Patient/{bert}", berts.Subject!.Reference);
    }

    [Fact]
    public async Task H9_a_retrieved_device_files_nothing_against_anyone()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Equipment Collected");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        var retrieved = await Staff.PostJsonAsync($"/api/devices/{deviceId}/retrieve", new { });
        var press = await device.PublishEventAsync("""{"event":"pendant_press"}""");

        Assert.Equal("retrieved", retrieved.Str("status"));
        Assert.Equal(JsonValueKind.Null, retrieved.GetProperty("patientId").ValueKind);
        Assert.Equal(patientId, retrieved.Str("lastPatientId"));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, press.ReasonCode);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).GetArrayLength());
        Assert.Equal(["device_not_assigned"], await ReasonsOfAsync(deviceId));

        // Issued again: it files for its new person from then on.
        var other = await TelehealthPlatform.CreatePatientAsync(Staff, "Equipment Reissued");
        await Staff.PostJsonAsync($"/api/devices/{deviceId}/assign", new { patientId = other });
        var again = await device.PublishEventAsync($$"""{"event":"pendant_press","t":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddSeconds(1))}}}""");
        Assert.Equal(MqttClientPublishReasonCode.Success, again.ReasonCode);
        Assert.Equal("event:pendant_press", Assert.Single((await Staff.GetJsonAsync($"/api/alerts?patientId={other}")).EnumerateArray()).Str("condition"));
    }

    [Fact]
    public async Task H9_an_oximeter_cannot_file_a_blood_pressure_a_temperature_or_a_pendant_press()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Type Checked");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        var bp = await device.PublishReadingsAsync("""[{"n":"systolic_bp","u":"mmHg","v":70},{"n":"diastolic_bp","u":"mmHg","v":40},{"n":"body_temperature","u":"Cel","v":39.9}]""");
        var press = await device.PublishEventAsync("""{"event":"pendant_press"}""");
        var mixed = await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":97},{"n":"systolic_bp","u":"mmHg","v":70}]""");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, bp.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, press.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, mixed.ReasonCode);
        var readings = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal(["spo2"], readings.EnumerateArray().Select(r => r.Str("kind")).ToArray());
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).GetArrayLength());
        Assert.Equal(Enumerable.Repeat("not_allowed_for_device_type", 5), await ReasonsOfAsync(deviceId));
        var listed = await Staff.GetJsonAsync($"/api/rejections?deviceId={deviceId}&reason=not_allowed_for_device_type");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), r => r.Str("detail").Contains("pulse_oximeter does not send pendant_press", StringComparison.Ordinal));
    }

    [Fact]
    public async Task H9_a_revoked_device_is_dropped_at_once_and_refused_at_connect()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Revoked Device");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        var dropped = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Disconnected += args =>
        {
            dropped.TrySetResult(args);
            return Task.CompletedTask;
        };

        var revoked = await Staff.PostJsonAsync($"/api/devices/{deviceId}/revoke", new { });

        Assert.Equal("revoked", revoked.Str("status"));
        var disconnect = await dropped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, disconnect.Reason);
        var (again, result) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, secret);
        Assert.Null(again);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result);
        Assert.Contains("device_revoked", await ReasonsOfAsync(deviceId));
        Assert.Equal(HttpStatusCode.Conflict, (await Staff.PostAsync($"/api/devices/{deviceId}/rotate-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Staff.PostAsJsonAsync($"/api/devices/{deviceId}/assign", new { patientId })).StatusCode);
    }

    [Fact]
    public async Task A_rotated_secret_is_shown_once_and_the_old_one_stops_at_once()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Rotated Device");
        var (deviceId, oldSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, oldSecret);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Disconnected += _ =>
        {
            dropped.TrySetResult();
            return Task.CompletedTask;
        };

        var rotated = await Staff.PostJsonAsync($"/api/devices/{deviceId}/rotate-secret", new { });

        var newSecret = rotated.Str("secret");
        Assert.NotEqual(oldSecret, newSecret);
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, oldSecret)).Result);
        await using var renewed = await MqttDevice.ConnectAsync(Platform, deviceId, newSecret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await renewed.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":96}]""")).ReasonCode);
        var shown = await Staff.GetJsonAsync($"/api/devices/{deviceId}");
        Assert.False(shown.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task H10_a_skewed_device_clock_is_measured_and_flagged_beside_model_serial_firmware_battery_and_last_heard()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Device Details");
        var registered = await Staff.PostJsonAsync("/api/devices", new { patientId, type = "blood_pressure_monitor", model = "Omron M7", serialNumber = "SN-7781" });
        var deviceId = registered.Str("deviceId");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, registered.Str("secret"));
        var deviceClock = DateTimeOffset.UtcNow.AddMinutes(-10);

        await device.PublishStatusAsync($$"""{"battery":41,"firmware":"2.3.1","t":{{Json.UnixSeconds(deviceClock)}}}""");

        var shown = await Staff.GetJsonAsync($"/api/devices/{deviceId}");
        Assert.Equal(("Omron M7", "SN-7781", "2.3.1", 41), (shown.Str("model"), shown.Str("serialNumber"), shown.Str("firmware"), shown.GetProperty("batteryPercent").GetInt32()));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(deviceClock.ToUnixTimeMilliseconds()), shown.GetProperty("lastSeenAt").GetDateTimeOffset());
        // The offset is the device clock minus the receive time: ten minutes slow, less the moments in transit.
        Assert.InRange(shown.GetProperty("clockOffsetSeconds").GetDouble(), -660, -599);
        Assert.True(shown.GetProperty("clockSkewFlagged").GetBoolean());

        var patched = await Staff.PatchAsJsonAsync($"/api/devices/{deviceId}", new { firmware = "2.4.0" });
        patched.EnsureSuccessStatusCode();
        var listed = Assert.Single((await Staff.GetJsonAsync($"/api/devices?patientId={patientId}")).EnumerateArray());
        Assert.Equal(("Omron M7", "2.4.0"), (listed.Str("model"), listed.Str("firmware")));
    }

    private static string Spo2At(DateTimeOffset at, int value) => $$"""[{"bt":{{Json.UnixSeconds(at)}},"n":"spo2","u":"%","v":{{value}}}]""";

    private async Task<double[]> Spo2ValuesAsync(string patientId) =>
        (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).EnumerateArray()
            .Where(r => r.Str("kind") == "spo2").Select(r => r.GetProperty("value").GetDouble()).Order().ToArray();

    private async Task<List<string>> ReasonsOfAsync(string deviceId)
    {
        var rejections = await Staff.GetJsonAsync($"/api/rejections?deviceId={deviceId}&limit=1000");
        return rejections.GetProperty("items").EnumerateArray().Select(r => r.Str("reason")).ToList();
    }
}
