using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Telehealth.Gateway.Mqtt.Nats;
using Telehealth.TestSupport;
using Xunit.Abstractions;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// NatsJetStream mode on real processes: devices speak MQTT 3.1.1 to a real nats-server whose users the platform
/// writes from its registry; nats-server stores each QoS 1 message in JetStream before the PUBACK, and every platform
/// instance pulls from one shared durable consumer and acknowledges after storing.
/// </summary>
public sealed class NatsJetStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Readings_from_an_mqtt_311_device_through_nats_are_stored_exactly_once()
    {
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var start = DateTimeOffset.UtcNow.AddHours(-1);

        await using (var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret))
        {
            for (var i = 0; i < 100; i++)
            {
                await device.PublishReadingsAsync(Spo2(start.AddSeconds(i)));
            }
            // Repeats (a device that did not see its PUBACK in time) are acknowledged and never stored twice.
            for (var i = 0; i < 10; i++)
            {
                await device.PublishReadingsAsync(Spo2(start.AddSeconds(i)));
            }
        }

        var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000"),
            r => r.GetArrayLength() >= 100, TimeSpan.FromSeconds(60));
        await Eventually.GetAsync(() => nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromSeconds(30));
        stored = await staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000");
        Assert.Equal(100, stored.GetArrayLength());
        Assert.Equal(100, stored.EnumerateArray().Select(r => r.Str("deviceTime")).Distinct().Count());
        Assert.Equal(110, platform.Services.GetRequiredService<NatsJetStreamIngress>().Acknowledged);
    }

    [Fact]
    public async Task A_device_over_its_rate_is_held_back_in_jetstream_not_refused_since_nats_already_acknowledged_it()
    {
        await using var nats = await StartNatsAsync();
        var settings = Settings(nats, TimeSpan.FromSeconds(5));
        settings["Devices:Burst"] = "5";
        settings["Devices:MessagesPerSecond"] = "2";
        await using var platform = await TelehealthPlatform.StartAsync(settings);
        await platform.Services.GetRequiredService<NatsJetStreamIngress>().Consuming.WaitAsync(TimeSpan.FromSeconds(30));
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Rate");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var start = DateTimeOffset.UtcNow.AddHours(-1);

        await using (var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret))
        {
            for (var i = 0; i < 12; i++)
            {
                await device.PublishReadingsAsync(Spo2(start.AddSeconds(i)));
            }
        }

        // 5 at once, then 2 a second as the bucket refills: every one of the 12 is stored, none twice.
        var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() >= 12, TimeSpan.FromSeconds(60));
        await Eventually.GetAsync(() => nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromSeconds(30));
        stored = await staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal(12, stored.GetArrayLength());
        Assert.Equal(12, platform.Services.GetRequiredService<NatsJetStreamIngress>().Acknowledged);
    }

    [Fact]
    public async Task A_device_cannot_publish_under_another_devices_id_on_nats()
    {
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        var victim = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Victim");
        var (victimDevice, _) = await TelehealthPlatform.RegisterDeviceAsync(staff, victim);
        var attackerPatient = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Attacker");
        var (attackerDevice, attackerSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, attackerPatient);

        await using (var attacker = await ConnectWhenUserExistsAsync(nats, attackerDevice, attackerSecret))
        {
            // MQTT 3.1.1 has no refusal code in a PUBACK: nats-server refuses the message (and logs it) instead.
            await attacker.PublishAsync($"telehealth/v1/devices/{victimDevice}/readings", """[{"n":"spo2","u":"%","v":70}]""");
        }
        // A marker the platform does receive, so "nothing arrived" is not just "nothing arrived yet".
        await using (var attacker = await ConnectWhenUserExistsAsync(nats, attackerDevice, attackerSecret))
        {
            await attacker.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":97}]""");
        }

        await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{attackerPatient}/readings"), r => r.GetArrayLength() == 1, TimeSpan.FromSeconds(30));
        await Eventually.GetAsync(() => nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await staff.GetJsonAsync($"/api/patients/{victim}/readings")).GetArrayLength());
        Assert.Equal(1, platform.Services.GetRequiredService<NatsJetStreamIngress>().Acknowledged);
        Assert.Contains($"Publish Violation - User \"{attackerDevice}\", Subject \"telehealth.v1.devices.{victimDevice}.readings\"", nats.OutputTail);
    }

    [Fact]
    public async Task A_revoked_device_is_refused_by_nats_after_the_reload()
    {
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Revoked");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var (otherDevice, otherSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await (await ConnectWhenUserExistsAsync(nats, deviceId, secret)).DisposeAsync();
        await (await ConnectWhenUserExistsAsync(nats, otherDevice, otherSecret)).DisposeAsync();

        await staff.PostJsonAsync($"/api/devices/{deviceId}/revoke", new { });

        var refused = await Eventually.GetAsync(() => TryConnectAsync(nats, deviceId, secret),
            r => r is not MqttClientConnectResultCode.Success and not MqttClientConnectResultCode.ServerUnavailable, TimeSpan.FromSeconds(30));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused);
        // The other device's account is untouched.
        Assert.Equal(MqttClientConnectResultCode.Success, await SettledConnectAsync(nats, otherDevice, otherSecret));
    }

    [Fact]
    public async Task A_rotated_secret_replaces_the_old_one_on_nats_after_the_reload()
    {
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Rotation");
        var (deviceId, oldSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await (await ConnectWhenUserExistsAsync(nats, deviceId, oldSecret)).DisposeAsync();

        var newSecret = (await staff.PostJsonAsync($"/api/devices/{deviceId}/rotate-secret", new { })).Str("secret");

        await using var renewed = await ConnectWhenUserExistsAsync(nats, deviceId, newSecret);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await SettledConnectAsync(nats, deviceId, oldSecret));
        await renewed.PublishReadingsAsync(Spo2(DateTimeOffset.UtcNow.AddMinutes(-1)));
        await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() == 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Readiness_fails_while_the_durable_consumer_is_missing_and_the_platform_makes_it_again()
    {
        await using var nats = await StartNatsAsync();
        var settings = Settings(nats, TimeSpan.FromSeconds(5));
        // Long enough that the gap between losing the consumer and making it again is seen by a poll.
        settings["Mqtt:Nats:ReconnectDelay"] = "00:00:03";
        await using var platform = await TelehealthPlatform.StartAsync(settings);
        await platform.Services.GetRequiredService<NatsJetStreamIngress>().Consuming.WaitAsync(TimeSpan.FromSeconds(30));
        using var staff = await platform.CreateStaffClientAsync();
        using var anonymous = platform.CreateAnonymousClient();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Consumer");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

        // An operator deletes the consumer. The platform rewrites nats-server's users (the service user with a bcrypt
        // hash) and reloads it after each registration: a connection that lands during that reload can be refused once
        // (seen once in CI as "Authorization Violation"), so the operator's client tries again, as any client would.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var admin = new NatsConnection(NatsOpts.Default with
                {
                    Url = nats.Url,
                    AuthOpts = NatsAuthOpts.Default with { Username = NatsServer.ServiceUser, Password = nats.ServicePassword },
                });
                await new NatsJSContext(admin).DeleteConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName);
                break;
            }
            catch (NatsException) when (attempt < 10)
            {
                await Task.Delay(500);
            }
        }

        var down = await Eventually.GetAsync(() => anonymous.GetAsync("/health/ready"),
            r => r.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        Assert.Equal("broker_not_consuming", (await down.Content.ReadFromJsonElementAsync()).Str("reason"));
        await Eventually.GetAsync(() => anonymous.GetAsync("/health/ready"), r => r.StatusCode == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.NotNull(await nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName));
        await using (var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret))
        {
            await device.PublishReadingsAsync(Spo2(DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() == 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    [Trait("Hazard", "H1")]
    public async Task After_a_nats_server_SIGKILL_mid_stream_every_acknowledged_reading_is_stored_exactly_once()
    {
        const int total = 400;
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        using var anonymous = platform.CreateAnonymousClient();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Crash");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var start = DateTimeOffset.UtcNow.AddHours(-2);

        // The device sends each reading until it gets a PUBACK (reconnecting as needed), then the next one: a reading
        // nats-server acknowledged and then lost would never be sent again, so any loss shows in the count.
        var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret);
        var resent = 0;
        for (var i = 0; i < total; i++)
        {
            if (i == total / 2)
            {
                await nats.StopAsync(graceful: false);
                await Eventually.GetAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode,
                    code => code == System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
                await nats.StartAsync();
            }
            while (true)
            {
                try
                {
                    await device.PublishReadingsAsync(Spo2(start.AddSeconds(i)));
                    break;
                }
                catch (Exception) when (!device.IsConnected)
                {
                    resent++;
                    await device.DisposeAsync();
                    device = await ConnectWhenUserExistsAsync(nats, deviceId, secret);
                }
            }
        }
        await device.DisposeAsync();

        await Eventually.GetAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode,
            code => code == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000"),
            r => r.GetArrayLength() >= total, TimeSpan.FromSeconds(90));
        await Eventually.GetAsync(() => nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromSeconds(60));
        stored = await staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000");
        output.WriteLine($"{total} acknowledged, {resent} publishes retried across the kill, {stored.GetArrayLength()} stored");
        Assert.Equal(total, stored.GetArrayLength());
        Assert.Equal(total, stored.EnumerateArray().Select(r => r.Str("deviceTime")).Distinct().Count());
    }

    [Fact]
    [Trait("Hazard", "H1")]
    public async Task When_one_of_two_instances_dies_mid_batch_the_other_stores_its_unacknowledged_readings_once_after_AckWait()
    {
        const int total = 600;
        var ackWait = TimeSpan.FromSeconds(5);
        await using var nats = await StartNatsAsync();
        await using var survivor = await StartPlatformAsync(nats, ackWait);
        using var staff = await survivor.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Nats Takeover");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await (await ConnectWhenUserExistsAsync(nats, deviceId, secret)).DisposeAsync();

        // The second instance is its own process on the same care record, armed to die (SIGKILL) right after its first
        // stored batch and before acknowledging any of it: the worst moment, the one redelivery exists for.
        var settings = Settings(nats, ackWait);
        await using var doomed = await PlatformProcess.StartAsync(survivor.DataDirectory, survivor.AdminPassword,
            FreePort.Next(), FreePort.Next(), crashPoint: "after-store", settings: settings);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var death = Task.Run(async () =>
        {
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(90));
            return Stopwatch.GetTimestamp();
        });

        await using (var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret))
        {
            for (var i = 0; i < total; i++)
            {
                await device.PublishReadingsAsync(Spo2(start.AddSeconds(i)));
            }
        }
        var diedAt = await death;

        var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000"),
            r => r.GetArrayLength() >= total, TimeSpan.FromSeconds(90));
        var takeover = Stopwatch.GetElapsedTime(diedAt);
        var consumer = await Eventually.GetAsync(() => nats.GetConsumerAsync(NatsDeviceSubjects.MqttStream, ConsumerName),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromSeconds(60));
        stored = await staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=1000");
        output.WriteLine($"AckWait {ackWait.TotalSeconds} s: all {total} stored {takeover.TotalSeconds:0.0} s after the instance died; " +
            $"{consumer!.Delivered - total} deliveries were redeliveries");
        Assert.Equal(total, stored.GetArrayLength());
        Assert.Equal(total, stored.EnumerateArray().Select(r => r.Str("deviceTime")).Distinct().Count());
        // The dead instance stored a batch it never acknowledged: those were delivered again (more deliveries than
        // messages) and recognised as repeats, not stored twice; the survivor acknowledged every message.
        Assert.True(consumer.Delivered > total, $"nothing was redelivered; the dead instance held no unacknowledged message. {doomed.OutputTail}");
        Assert.Equal(total, survivor.Services.GetRequiredService<NatsJetStreamIngress>().Acknowledged);
    }

    /// <summary>
    /// nats-server takes SIGHUP on a channel that holds one more signal while it reloads (server/signal.go), so a pass's
    /// signal that arrives mid-reload is applied right after it rather than lost (mosquitto drops it: see
    /// ReloadRepeat); and the platform writes one file holding both a device's user and its permissions, so there is no
    /// moment in which nats knows the device but not its topics. Here nats-server reloads over and over while devices
    /// are registered one after another; each connects as soon as nats lets it in and publishes at once.
    /// </summary>
    [Fact]
    [Trait("Hazard", "H1")]
    public async Task H1_a_device_nats_lets_in_while_it_keeps_reloading_may_publish_its_own_reading_at_once()
    {
        const int Devices = 20;
        const int SigHup = 1;
        await using var nats = await StartNatsAsync();
        await using var platform = await StartPlatformAsync(nats);
        using var staff = await platform.CreateStaffClientAsync();
        using var stop = new CancellationTokenSource();
        var reloads = 0;
        var hammer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(0, nats.Signal(SigHup));
                Interlocked.Increment(ref reloads);
                await Task.Delay(20);
            }
        });
        var codes = new List<MqttClientPublishReasonCode>();
        var patients = new List<string>();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 0; i < Devices; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Nats Reload {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            await using var device = await ConnectWhenUserExistsAsync(nats, deviceId, secret);
            codes.Add((await device.PublishReadingsAsync(Spo2(at))).ReasonCode);
            patients.Add(patientId);
        }
        await stop.CancelAsync();
        await hammer;

        Assert.True(reloads > Devices, $"only {reloads} reloads asked for");
        Assert.Equal($"Success x{Devices}", string.Join(", ", codes.GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}")));
        foreach (var patientId in patients)
        {
            var stored = await Eventually.GetAsync(() => staff.GetJsonAsync($"/api/patients/{patientId}/readings"), r => r.GetArrayLength() >= 1, TimeSpan.FromSeconds(60));
            Assert.Equal(1, stored.GetArrayLength());
        }
    }

    private const string ConsumerName = "telehealth-ingest";

    private static string Spo2(DateTimeOffset at) => $$"""[{"bt":{{Json.UnixSeconds(at)}},"n":"spo2","u":"%","v":97}]""";

    private static async Task<NatsServer> StartNatsAsync()
    {
        var nats = new NatsServer();
        await nats.InitializeAsync();
        return nats;
    }

    private static async Task<TelehealthPlatform> StartPlatformAsync(NatsServer nats, TimeSpan? ackWait = null)
    {
        var platform = await TelehealthPlatform.StartAsync(Settings(nats, ackWait ?? TimeSpan.FromSeconds(5)));
        await platform.Services.GetRequiredService<NatsJetStreamIngress>().Consuming.WaitAsync(TimeSpan.FromSeconds(30));
        return platform;
    }

    private static Dictionary<string, string?> Settings(NatsServer nats, TimeSpan ackWait)
    {
        var settings = nats.PlatformSettings(ackWait.ToString("c"));
        // These tests send hundreds of readings from one device in seconds; the per-device rate limit is not under test.
        settings["Devices:MessagesPerSecond"] = "100000";
        return settings;
    }

    /// <summary>
    /// A connect's answer once nats-server is not in the middle of a reload: ServerUnavailable (CONNACK 3, "try again")
    /// is what nats answers while it applies a new users file, and a device simply retries it; NotAuthorized and Success
    /// are the answers that say something about the account. Seen in CI: a single attempt met a reload.
    /// </summary>
    private static Task<MqttClientConnectResultCode> SettledConnectAsync(NatsServer nats, string deviceId, string secret) =>
        Eventually.GetAsync(() => TryConnectAsync(nats, deviceId, secret), r => r != MqttClientConnectResultCode.ServerUnavailable, TimeSpan.FromSeconds(30));

    private static async Task<MqttClientConnectResultCode> TryConnectAsync(NatsServer nats, string deviceId, string secret)
    {
        try
        {
            var (device, result) = await MqttDevice.TryConnectAsync(nats.MqttPort, deviceId, secret, MqttProtocolVersion.V311);
            if (device is not null)
            {
                await device.DisposeAsync();
            }
            return result;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return MqttClientConnectResultCode.ServerUnavailable; // not listening (restarting)
        }
    }

    /// <summary>Connects once nats-server knows the device (the platform writes its user, then nats-server reloads).</summary>
    private static async Task<MqttDevice> ConnectWhenUserExistsAsync(NatsServer nats, string deviceId, string secret)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var (device, result) = await MqttDevice.TryConnectAsync(nats.MqttPort, deviceId, secret, MqttProtocolVersion.V311);
                if (device is not null)
                {
                    return device;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Device {deviceId} could not connect to nats-server: {result}. {nats.OutputTail}");
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException) when (DateTime.UtcNow < deadline)
            {
                // nats-server is restarting.
            }
            await Task.Delay(100);
        }
    }
}
