using System.Diagnostics;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>The documented mosquitto_pub examples (docs/device-api.md) work as written against the embedded broker.</summary>
public sealed class MosquittoPubExampleTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Theory]
    [InlineData("mqttv5", true)]
    [InlineData("mqttv311", true)]
    [InlineData("mqttv5", false)]
    public async Task Mosquitto_pub_publishes_a_reading_with_device_credentials(string protocol, bool withClientId)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Mosquitto Pub " + protocol);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        var payload = $$"""[{"bn":"urn:dev:id:{{deviceId}}:","n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":72}]""";
        var args = new List<string> { "-h", "127.0.0.1", "-p", Platform.MqttPort.ToString(), "-V", protocol, "-q", "1", "-u", deviceId, "-P", secret,
            "-t", $"telehealth/v1/devices/{deviceId}/readings", "-m", payload };
        if (withClientId)
        {
            args.InsertRange(0, ["-i", deviceId + "-1"]);
        }

        var (exitCode, output) = await RunAsync("mosquitto_pub", args);

        Assert.True(exitCode == 0, $"mosquitto_pub exited {exitCode}: {output}");
        var readings = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal(["heart_rate", "spo2"], readings.EnumerateArray().Select(r => r.Str("kind")).Order().ToArray());
    }

    /// <summary>
    /// mosquitto_pub 2.x on MQTT 3.1.1 sends an empty client id when -i is not given; MQTTnet's embedded broker
    /// assigns ids only under MQTT 5, so docs/device-api.md always passes -i. This pins that documented limit.
    /// </summary>
    [Fact]
    public async Task Mqtt311_without_a_client_id_is_refused_by_the_embedded_broker_as_documented()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "No Client Id");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);

        var (exitCode, output) = await RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", Platform.MqttPort.ToString(), "-V", "mqttv311", "-q", "1",
            "-u", deviceId, "-P", secret, "-t", $"telehealth/v1/devices/{deviceId}/readings", "-m", "[{\"n\":\"spo2\",\"u\":\"%\",\"v\":97}]"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("identifier rejected", output);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
    }

    /// <summary>The probe's takeover, with the tool it used: B's credentials, V's client id, clean session off (-c).</summary>
    [Theory]
    [Trait("Hazard", "H9")]
    [InlineData("mqttv311", "identifier rejected")]
    [InlineData("mqttv5", "Client identifier not valid")]
    public async Task H9_mosquitto_pub_with_another_devices_client_id_and_clean_session_off_is_refused(string protocol, string expectedError)
    {
        var victimPatient = await TelehealthPlatform.CreatePatientAsync(Staff, "Mosquitto Victim " + protocol);
        var (victimId, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, victimPatient);
        var attackerPatient = await TelehealthPlatform.CreatePatientAsync(Staff, "Mosquitto Attacker " + protocol);
        var (attackerId, attackerSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, attackerPatient);
        List<string> args = ["-h", "127.0.0.1", "-p", Platform.MqttPort.ToString(), "-V", protocol, "-q", "1", "-c", "-i", victimId + "-1",
            "-u", attackerId, "-P", attackerSecret, "-t", $"telehealth/v1/devices/{victimId}/events", "-m", """{"event":"fall_detected"}"""];
        if (protocol == "mqttv5")
        {
            args.InsertRange(args.Count - 4, ["-x", "3600"]);
        }

        var (exitCode, output) = await RunAsync("mosquitto_pub", args);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expectedError, output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={victimPatient}")).GetArrayLength());
        var reasons = (await Staff.GetJsonAsync("/api/rejections?limit=1000")).GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("deviceId").GetString() == attackerId).Select(r => r.Str("reason")).ToArray();
        Assert.Equal(["client_id_not_bound"], reasons);
    }

    [Fact]
    public async Task Mosquitto_pub_event_and_status_examples_are_accepted()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Mosquitto Pub Events");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        string[] Common(string channel, string qos, string protocol) =>
            ["-h", "127.0.0.1", "-p", Platform.MqttPort.ToString(), "-V", protocol, "-q", qos, "-i", deviceId + "-" + channel,
             "-u", deviceId, "-P", secret, "-t", $"telehealth/v1/devices/{deviceId}/{channel}"];

        var pendant = await RunAsync("mosquitto_pub", [.. Common("events", "1", "mqttv5"), "-m", """{"event":"pendant_press"}"""]);
        var status = await RunAsync("mosquitto_pub", [.. Common("status", "0", "mqttv311"), "-m", """{"battery":87}"""]);

        Assert.True(pendant.ExitCode == 0, pendant.Output);
        Assert.True(status.ExitCode == 0, status.Output);
        // mosquitto_pub's PUBACK means "stored and due"; the alert comes from the evaluation worker after it.
        await Platform.SettledAsync();
        var alerts = await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}");
        Assert.Equal("event:pendant_press", Assert.Single(alerts.EnumerateArray()).Str("condition"));
        // QoS 0 has no acknowledgement to wait for: poll the device until its heartbeat is recorded.
        var device = await Eventually.GetAsync(() => Staff.GetJsonAsync($"/api/devices/{deviceId}"), d => d.GetProperty("batteryPercent").ValueKind == System.Text.Json.JsonValueKind.Number);
        Assert.Equal(87, device.GetProperty("batteryPercent").GetInt32());
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start (apt-get install mosquitto-clients)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
