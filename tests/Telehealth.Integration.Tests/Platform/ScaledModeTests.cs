using System.Net.Http.Json;
using MQTTnet;
using Telehealth.Gateway.Mqtt;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The scaled shape on real engines: devices publish to a real mosquitto that authenticates them and enforces
/// the per-device ACL, the platform subscribes as its own service user, and readings go to a real influxd.
/// </summary>
public sealed class ScaledModeTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private const string ServiceUser = "telehealth-ingest";

    [Fact]
    public async Task A_reading_through_mosquitto_is_stored_in_influxdb_once_and_raises_an_alert()
    {
        var brokerPort = FreePort.Next();
        var servicePassword = Guid.NewGuid().ToString("N");
        var database = InfluxServer.NewDatabaseName();
        await using var platform = await StartSubscribedToAsync(brokerPort, servicePassword, new Dictionary<string, string?>
        {
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = database,
        });
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Scaled Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);

        // The broker learns the device's credentials after the platform issued them (as a provisioning step would).
        await using var broker = new MosquittoServer(new MosquittoServerOptions
        {
            Port = brokerPort,
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { [ServiceUser] = servicePassword, [deviceId] = secret },
            ServiceUsers = [ServiceUser],
        });
        await broker.InitializeAsync();
        await WaitUntilSubscribedAsync(platform);

        await using var device = await MqttDevice.ConnectAsync(brokerPort, deviceId, secret);
        var payload = $$"""[{"bt":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddSeconds(-30))}},"n":"spo2","u":"%","v":86},{"n":"heart_rate","u":"beat/min","v":118}]""";
        await device.PublishReadingsAsync(payload);
        await device.PublishReadingsAsync(payload);
        await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(DateTimeOffset.UtcNow)}},"n":"respiratory_rate","u":"/min","v":16}]""");

        // mosquitto acknowledges the device before the platform has stored anything: wait on the effect.
        var readings = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() >= 3);
        Assert.Equal(["heart_rate", "respiratory_rate", "spo2"], readings.EnumerateArray().Select(r => r.Str("kind")).Order().ToArray());
        var alerts = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/alerts?patientId={patientId}"), a => a.GetArrayLength() >= 1);
        Assert.Contains(alerts.EnumerateArray(), a => a.Str("condition") == "threshold:spo2" && a.Str("severity") == "critical");

        // Stored in influxd itself, exactly once per (device, kind, time).
        using var http = new HttpClient { BaseAddress = influx.Url };
        var count = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(
            $"/query?db={database}&q=" + Uri.EscapeDataString($"SELECT COUNT(\"value\") FROM \"vital_reading\" WHERE \"patient_id\" = '{patientId}'"));
        Assert.Equal(3, count.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt32());
    }

    [Fact]
    public async Task A_burst_from_several_devices_through_mosquitto_is_stored_exactly_once_each()
    {
        const int devices = 5;
        const int readingsPerDevice = 200;
        var brokerPort = FreePort.Next();
        var servicePassword = Guid.NewGuid().ToString("N");
        await using var platform = await StartSubscribedToAsync(brokerPort, servicePassword);
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Burst Person");
        var users = new Dictionary<string, string> { [ServiceUser] = servicePassword };
        var credentials = new List<(string DeviceId, string Secret)>();
        for (var i = 0; i < devices; i++)
        {
            var device = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            credentials.Add(device);
            users[device.DeviceId] = device.Secret;
        }
        await using var broker = new MosquittoServer(new MosquittoServerOptions { Port = brokerPort, AllowAnonymous = false, Users = users, ServiceUsers = [ServiceUser] });
        await broker.InitializeAsync();
        await WaitUntilSubscribedAsync(platform);
        var start = DateTimeOffset.UtcNow.AddHours(-1);

        await Task.WhenAll(credentials.Select(async c =>
        {
            await using var device = await MqttDevice.ConnectAsync(brokerPort, c.DeviceId, c.Secret);
            for (var i = 0; i < readingsPerDevice; i++)
            {
                // Every reading distinct (own device time), SpO2 in range so the alert core has nothing to add.
                await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(start.AddSeconds(i))}},"n":"spo2","u":"%","v":97}]""");
            }
        }));

        var stored = await Eventually.GetAsync(
            () => staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=100000"),
            r => r.GetArrayLength() >= devices * readingsPerDevice,
            TimeSpan.FromSeconds(60));
        Assert.Equal(devices * readingsPerDevice, stored.GetArrayLength());
        Assert.Equal(devices * readingsPerDevice, stored.EnumerateArray().Select(r => (r.Str("deviceId"), r.Str("deviceTime"))).Distinct().Count());
    }

    [Fact]
    public async Task Mosquitto_refuses_a_device_publishing_under_another_id_so_the_platform_never_sees_it()
    {
        var brokerPort = FreePort.Next();
        var servicePassword = Guid.NewGuid().ToString("N");
        await using var platform = await StartSubscribedToAsync(brokerPort, servicePassword);
        using var staff = await platform.CreateStaffClientAsync();
        var victim = await TelehealthPlatform.CreatePatientAsync(staff, "Victim");
        var (victimDevice, victimSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, victim);
        var attackerPatient = await TelehealthPlatform.CreatePatientAsync(staff, "Attacker");
        var (attackerDevice, attackerSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, attackerPatient);
        await using var broker = new MosquittoServer(new MosquittoServerOptions
        {
            Port = brokerPort,
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { [ServiceUser] = servicePassword, [victimDevice] = victimSecret, [attackerDevice] = attackerSecret },
            ServiceUsers = [ServiceUser],
        });
        await broker.InitializeAsync();
        await WaitUntilSubscribedAsync(platform);

        await using var attacker = await MqttDevice.ConnectAsync(brokerPort, attackerDevice, attackerSecret);
        var spoofed = await attacker.PublishAsync($"telehealth/v1/devices/{victimDevice}/readings", """[{"n":"spo2","u":"%","v":70}]""");
        // A marker the platform does receive, so "nothing arrived" is not just "nothing arrived yet".
        await attacker.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":97}]""");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, spoofed.ReasonCode);
        await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{attackerPatient}/readings"), r => r.GetArrayLength() == 1);
        Assert.Equal(0, (await staff.GetJsonAsync($"/api/patients/{victim}/readings")).GetArrayLength());
    }

    [Fact]
    [Trait("Hazard", "H1")]
    public async Task After_a_clean_mosquitto_restart_the_platform_subscribes_again_and_readiness_tells_the_truth_meanwhile()
    {
        var brokerPort = FreePort.Next();
        var servicePassword = Guid.NewGuid().ToString("N");
        await using var platform = await StartSubscribedToAsync(brokerPort, servicePassword);
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Restart Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        // Persistence on: mosquitto restores the platform's session after the restart — but not its shared subscription.
        await using var broker = new MosquittoServer(new MosquittoServerOptions
        {
            Port = brokerPort,
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { [ServiceUser] = servicePassword, [deviceId] = secret },
            ServiceUsers = [ServiceUser],
            Persistence = true,
        });
        await broker.InitializeAsync();
        await WaitUntilSubscribedAsync(platform);
        using var anonymous = platform.CreateAnonymousClient();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await using (var device = await MqttDevice.ConnectAsync(brokerPort, deviceId, secret))
        {
            await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(start)}},"n":"spo2","u":"%","v":97}]""");
        }
        await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() == 1);

        await broker.StopAsync(graceful: true);
        await Eventually.GetAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode, code => code == System.Net.HttpStatusCode.ServiceUnavailable);
        await broker.StartAsync();
        await Eventually.GetAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode, code => code == System.Net.HttpStatusCode.OK);

        await using (var device = await MqttDevice.ConnectAsync(brokerPort, deviceId, secret))
        {
            for (var i = 1; i <= 20; i++)
            {
                var published = await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(start.AddMinutes(i))}},"n":"spo2","u":"%","v":97}]""");
                // 0x10 "no matching subscribers" would be the silent loss this test is about.
                Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
            }
        }
        var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000"), r => r.GetArrayLength() >= 21, TimeSpan.FromSeconds(30));
        Assert.Equal(21, stored.GetArrayLength());
    }

    /// <summary>The platform in scaled mode, subscribing to a mosquitto that may not be running yet.</summary>
    private static Task<TelehealthPlatform> StartSubscribedToAsync(int brokerPort, string servicePassword, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:External:Host"] = "127.0.0.1",
            ["Mqtt:External:Port"] = brokerPort.ToString(),
            ["Mqtt:External:Username"] = ServiceUser,
            ["Mqtt:External:Password"] = servicePassword,
            ["Mqtt:External:ClientId"] = "ingest-" + Guid.NewGuid().ToString("N")[..8],
            ["Mqtt:External:ReconnectDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return TelehealthPlatform.StartAsync(settings);
    }

    private static Task WaitUntilSubscribedAsync(TelehealthPlatform platform) =>
        ((ExternalBrokerIngress)platform.Services.GetService(typeof(ExternalBrokerIngress))!).Subscribed.WaitAsync(TimeSpan.FromSeconds(20));
}
