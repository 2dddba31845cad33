using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Xunit.Abstractions;

namespace Telehealth.Integration.Tests.Durability;

/// <summary>
/// The whole recommended split topology as local processes (nats-server with JetStream, influxd, PostgreSQL,
/// redis-server, two platform instances) under the fault matrix while 100,000 readings arrive: a broker restart, a
/// broker SIGKILL, InfluxDB down for 60 s, one instance SIGKILLed mid-batch (and started again), then the other
/// killed for good. Devices behave as the device API asks (send a message until it is acknowledged, then the next),
/// so any reading the broker acknowledged and then lost would show as a missing count.
/// </summary>
[Trait("Hazard", "H1")]
public sealed class SplitTopologyFaultMatrixTests(ITestOutputHelper output)
{
    private const int Devices = 50;
    private const int MessagesPerDevice = 100;
    private const int ReadingsPerMessage = 20;
    private const int TotalMessages = Devices * MessagesPerDevice;
    /// <summary>The one message per device that carries a critically low SpO2 (82 %): one alert per person.</summary>
    private const int AlertingMessage = 60;
    /// <summary>
    /// Each device sends a message this often (about 670 readings a second in all), so the traffic lasts about 150 s
    /// and every fault lands while readings are arriving, not after the last one.
    /// </summary>
    private static readonly TimeSpan MessageInterval = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Under_broker_restart_broker_kill_influx_outage_and_instance_kills_100000_readings_are_stored_once_and_every_alert_is_raised_once_and_seen()
    {
        await using var topology = await SplitTopology.StartAsync(usePostgres: true, ackWait: TimeSpan.FromSeconds(5));
        using var staff = await topology.Instance(0).CreateStaffClientAsync(topology.AdminPassword);
        var token = staff.DefaultRequestHeaders.Authorization!.Parameter!;
        var devices = new List<(string PatientId, string DeviceId, string Secret)>();
        for (var i = 0; i < Devices; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Topology Person {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            devices.Add((patientId, deviceId, secret));
        }
        // The dashboard watches through the second instance (alerts raised by the first reach it over Redis) until that
        // one dies; then the load balancer sends it to the first.
        await using var dashboard = await DashboardFollower.ConnectAsync([topology.Instance(1).BaseAddress, topology.Instance(0).BaseAddress], token);
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds());
        var startSeconds = start.ToUnixTimeSeconds();
        var published = 0;
        var resent = 0;
        var faults = new List<string>();
        var retried = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        async Task SendAsync((string PatientId, string DeviceId, string Secret) target)
        {
            var device = await ConnectWhenUserExistsAsync(topology.Broker, target.DeviceId, target.Secret);
            var schedule = System.Diagnostics.Stopwatch.StartNew();
            for (var m = 0; m < MessagesPerDevice; m++)
            {
                var due = MessageInterval * m - schedule.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                var payload = Message(start.AddSeconds(m * ReadingsPerMessage), alerting: m == AlertingMessage);
                while (true)
                {
                    try
                    {
                        await device.PublishReadingsAsync(payload);
                        break;
                    }
                    catch (Exception)
                    {
                        // No PUBACK (the broker went away): send the same message again on a new connection.
                        Interlocked.Increment(ref resent);
                        retried.AddOrUpdate(target.DeviceId, $"{m}", (_, was) => $"{was},{m}");
                        try
                        {
                            await device.DisposeAsync();
                        }
                        catch (MQTTnet.Exceptions.MqttCommunicationException)
                        {
                            // The connection is already gone.
                        }
                        device = await ConnectWhenUserExistsAsync(topology.Broker, target.DeviceId, target.Secret);
                    }
                }
                Interlocked.Increment(ref published);
            }
            await device.DisposeAsync();
        }

        async Task WhenPublishedAsync(double share)
        {
            while (Volatile.Read(ref published) < share * TotalMessages)
            {
                await Task.Delay(20);
            }
        }

        var injector = Task.Run(async () =>
        {
            await WhenPublishedAsync(0.10);
            // A restart as the docs say to do it (lame-duck mode): a plain SIGTERM loses the last acknowledged messages.
            await topology.Broker.LameDuckStopAsync();
            await topology.Broker.StartAsync();
            faults.Add($"broker restarted (lame duck) at {Volatile.Read(ref published)} messages");

            await WhenPublishedAsync(0.35);
            await topology.Broker.StopAsync(graceful: false);
            await topology.Broker.StartAsync();
            faults.Add($"broker SIGKILLed at {Volatile.Read(ref published)} messages");

            await WhenPublishedAsync(0.45);
            await topology.Influx.StopAsync();
            faults.Add($"influxd stopped at {Volatile.Read(ref published)} messages");
            await Task.Delay(TimeSpan.FromSeconds(60));
            await topology.Influx.StartAgainAsync();
            faults.Add($"influxd back at {Volatile.Read(ref published)} messages");

            await WhenPublishedAsync(0.88);
            await topology.KillInstanceAsync(0);
            faults.Add($"platform-1 SIGKILLed at {Volatile.Read(ref published)} messages");
            await topology.StartInstanceAsync(0);

            await WhenPublishedAsync(0.95);
            await topology.KillInstanceAsync(1);
            faults.Add($"platform-2 SIGKILLed for good at {Volatile.Read(ref published)} messages");
        });

        await Task.WhenAll(devices.Select(d => Task.Run(() => SendAsync(d))).Append(injector));

        // Everything acknowledged by the broker has been stored and acknowledged by a platform instance...
        await Eventually.GetAsync(() => topology.Broker.GetConsumerAsync("$MQTT_msgs", "telehealth-ingest"),
            c => c is { AckPending: 0, Pending: 0 }, TimeSpan.FromMinutes(3));
        // ...and evaluated.
        await topology.Instance(0).WaitForEvaluationAsync(TimeSpan.FromMinutes(3));
        using var survivor = await topology.Instance(0).CreateStaffClientAsync(topology.AdminPassword);

        var stored = await topology.CountStoredReadingsAsync();
        output.WriteLine(string.Join(Environment.NewLine, faults));
        output.WriteLine($"{TotalMessages} messages acknowledged ({resent} sent again after a broker fault), {stored.Values.Sum()} readings stored");
        foreach (var (patientId, deviceId, _) in devices.Where(d => stored.GetValueOrDefault(d.DeviceId) != MessagesPerDevice * ReadingsPerMessage))
        {
            var windows = await topology.Influx.QueryAsync(topology.InfluxDatabase,
                $"SELECT count(\"value\") FROM \"vital_reading\" WHERE \"device_id\" = '{deviceId}' AND time >= {startSeconds}s AND time < {startSeconds + MessagesPerDevice * ReadingsPerMessage}s GROUP BY time({ReadingsPerMessage}s, {startSeconds % ReadingsPerMessage}s) fill(0)");
            var missing = windows[0].GetProperty("values").EnumerateArray().Select((v, i) => (i, n: v[1].GetInt64())).Where(w => w.n != ReadingsPerMessage).Select(w => $"message {w.i}: {w.n}");
            output.WriteLine($"device {deviceId}: {stored.GetValueOrDefault(deviceId)} stored; {string.Join(", ", missing)}; sent again: {retried.GetValueOrDefault(deviceId)}");
        }
        output.WriteLine("rejections: " + await survivor.GetStringAsync("/api/rejections/summary"));
        Assert.Equal(5, faults.Count(f => !f.StartsWith("influxd back", StringComparison.Ordinal)));
        Assert.Equal(Devices * MessagesPerDevice * ReadingsPerMessage, stored.Values.Sum());
        Assert.All(devices, d => Assert.Equal(MessagesPerDevice * ReadingsPerMessage, stored.GetValueOrDefault(d.DeviceId)));
        // Every reading is attributed to the person who has the device: one series per device, with that person's id.
        var attribution = await topology.Influx.QueryAsync(topology.InfluxDatabase, "SELECT count(\"value\") FROM \"vital_reading\" GROUP BY \"device_id\", \"patient_id\"");
        Assert.Equal(Devices, attribution.GetArrayLength());
        var patientOf = devices.ToDictionary(d => d.DeviceId, d => d.PatientId, StringComparer.Ordinal);
        Assert.All(attribution.EnumerateArray(), series =>
            Assert.Equal(patientOf[series.GetProperty("tags").GetProperty("device_id").GetString()!], series.GetProperty("tags").GetProperty("patient_id").GetString()));

        // Every person's critically low SpO2 raised exactly one alert, with exactly one "raised" event...
        var alerts = await survivor.GetJsonAsync("/api/alerts?status=all&limit=1000");
        var byPatient = alerts.EnumerateArray().GroupBy(a => a.Str("patientId")).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Assert.Equal(Devices, byPatient.Count);
        foreach (var (patientId, _, _) in devices)
        {
            var own = byPatient[patientId];
            // The critical SpO2 alerts whatever order its message was delivered in (after an outage it may come last).
            Assert.Equal("critical", Assert.Single(own, a => a.Str("condition") == "threshold:spo2").Str("severity"));
            Assert.Equal(own.Count, own.Select(a => a.Str("condition")).Distinct().Count());
            foreach (var alert in own)
            {
                var events = await survivor.GetJsonAsync($"/api/alerts/{alert.Str("id")}/events");
                Assert.Equal(1, events.EnumerateArray().Count(e => e.Str("eventType") == "raised"));
            }
        }
        // ...and reached the dashboard on the other instance, live or caught up after its instance died.
        await dashboard.CatchUpAsync();
        var alertIds = alerts.EnumerateArray().Select(a => a.Str("id")).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{alertIds.Count} alerts; dashboard saw {dashboard.Raised.Count(r => r.Value == "live")} live and " +
            $"{dashboard.Raised.Count(r => r.Value == "caught-up")} caught up after {dashboard.Reconnects} reconnect(s)");
        Assert.Subset(dashboard.Raised.Keys.ToHashSet(StringComparer.Ordinal), alertIds);
    }

    private static string Message(DateTimeOffset at, bool alerting)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $$"""[{"bt":{{Json.UnixSeconds(at)}},"n":"spo2","u":"%","v":{{(alerting ? 82 : 97)}},"t":0}""");
        for (var r = 1; r < ReadingsPerMessage; r++)
        {
            builder.Append(CultureInfo.InvariantCulture, $$""",{"n":"spo2","u":"%","v":97,"t":{{r}}}""");
        }
        return builder.Append(']').ToString();
    }

    private static async Task<MqttDevice> ConnectWhenUserExistsAsync(NatsServer nats, string deviceId, string secret)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // nats-server is restarting.
            }
            await Task.Delay(100);
        }
    }
}
