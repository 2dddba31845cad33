using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.TestSupport;

namespace Telehealth.Bench;

/// <summary>
/// Publish → dashboard: how long from a device publishing a critical reading to a dashboard's SignalR connection
/// receiving alertRaised, while 50 other devices keep up a steady background load. The platform runs as its own
/// process (embedded default). Each probe is a different person, so each probe raises a new alert; the clock starts
/// just before the PUBLISH and stops when alertRaised for that person arrives. One warm-up person's critical reading
/// goes first, off the clock: the platform starts fresh, and the first alert's path (a pass beside the background,
/// the first push to a team group) otherwise ran tier-0 code and was the slowest probe of a run (150–530 ms).
/// </summary>
public static class AlertLatencyBenchmark
{
    private const int BackgroundDevices = 50;

    public static async Task<AlertLatencyResult> RunAsync(int backgroundPerSecond, int probes, int? maxItemsPerPass = null, Scale.ProcessCpuSampler? cpu = null)
    {
        // The platform's data (its WAL can reach tens of MB) goes with the run: repeated runs once filled the disk.
        var data = Path.Combine(Path.GetTempPath(), "telehealth-bench-latency-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await RunInAsync(data, backgroundPerSecond, probes, maxItemsPerPass, cpu);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<AlertLatencyResult> RunInAsync(string data, int backgroundPerSecond, int probes, int? maxItemsPerPass = null, Scale.ProcessCpuSampler? cpu = null)
    {
        var adminPassword = "Bench-" + Guid.NewGuid().ToString("N")[..12];
        var mqttPort = FreePort.Next();
        await using var platform = await PlatformProcess.StartAsync(data, adminPassword, FreePort.Next(), mqttPort, settings: new Dictionary<string, string?>
        {
            ["Devices:MessagesPerSecond"] = "100000",
            ["Devices:Burst"] = "100000",
            ["Evaluation:MaxItemsPerPass"] = maxItemsPerPass?.ToString(CultureInfo.InvariantCulture),
        }.Where(s => s.Value is not null).ToDictionary());
        cpu?.Label(platform.ProcessId, "platform");
        using var staff = await platform.CreateStaffClientAsync(adminPassword);
        var background = new List<(string DeviceId, string Secret)>();
        for (var i = 0; i < BackgroundDevices; i++)
        {
            background.Add(await RegisterAsync(staff, $"Background {i}"));
        }
        var probeDevices = new List<(string PatientId, string DeviceId, string Secret)>();
        for (var i = 0; i < probes + 1; i++) // the last one warms up
        {
            var patient = await PostAsync(staff, "/api/patients", new { displayName = $"Probe {i}" });
            var patientId = patient.GetProperty("id").GetString()!;
            var device = await PostAsync(staff, "/api/devices", new { patientId, type = "pulse_oximeter" });
            probeDevices.Add((patientId, device.GetProperty("deviceId").GetString()!, device.GetProperty("secret").GetString()!));
        }

        var arrived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var token = staff.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(platform.BaseAddress, "/hubs/alerts"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<JsonElement>("alertRaised", alert => arrived.TryAdd(alert.GetProperty("patientId").GetString()!, Stopwatch.GetTimestamp()));
        await hub.StartAsync();

        using var stop = new CancellationTokenSource();
        var backgroundClients = await Task.WhenAll(background.Select(d => ConnectAsync(mqttPort, d.DeviceId, d.Secret)));
        var perDevicePerSecond = backgroundPerSecond / (double)BackgroundDevices;
        var sentBackground = 0L;
        var load = Task.WhenAll(backgroundClients.Select((client, index) => Task.Run(async () =>
        {
            var topic = $"telehealth/v1/devices/{background[index].DeviceId}/readings";
            var clock = Stopwatch.StartNew();
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / perDevicePerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                await client.PublishAsync(Message(topic, start.AddMilliseconds(i * 10), 97));
                Interlocked.Increment(ref sentBackground);
            }
        })));

        await Task.Delay(TimeSpan.FromSeconds(5)); // the background load settles
        var warmUp = probeDevices[^1];
        probeDevices.RemoveAt(probeDevices.Count - 1);
        using (var warmUpClient = await ConnectAsync(mqttPort, warmUp.DeviceId, warmUp.Secret))
        {
            await warmUpClient.PublishAsync(Message($"telehealth/v1/devices/{warmUp.DeviceId}/readings", DateTimeOffset.UtcNow, 80));
            var warming = Stopwatch.StartNew();
            while (!arrived.ContainsKey(warmUp.PatientId) && warming.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }
            if (!arrived.ContainsKey(warmUp.PatientId))
            {
                // An alert that never reached the dashboard is a failure of the platform, not a slow warm-up.
                throw new InvalidOperationException($"The warm-up's critical reading raised no alertRaised in 30 s. {platform.OutputTail}");
            }
        }
        cpu?.Start();
        var probeClients = await Task.WhenAll(probeDevices.Select(d => ConnectAsync(mqttPort, d.DeviceId, d.Secret)));
        var sentAt = new long[probes];
        var loadClock = Stopwatch.StartNew();
        var sentBefore = Interlocked.Read(ref sentBackground);
        for (var i = 0; i < probes; i++)
        {
            var topic = $"telehealth/v1/devices/{probeDevices[i].DeviceId}/readings";
            sentAt[i] = Stopwatch.GetTimestamp();
            await probeClients[i].PublishAsync(Message(topic, DateTimeOffset.UtcNow, 80));
            await Task.Delay(100);
        }
        var deadline = Stopwatch.StartNew();
        while (arrived.Count < probes && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        var achieved = (Interlocked.Read(ref sentBackground) - sentBefore) / loadClock.Elapsed.TotalSeconds;
        var cpuUse = cpu?.Stop();
        await stop.CancelAsync();
        await load;

        var latencies = probeDevices.Select((d, i) => arrived.TryGetValue(d.PatientId, out var at) ? Stopwatch.GetElapsedTime(sentAt[i], at).TotalMilliseconds : double.NaN)
            .Where(ms => !double.IsNaN(ms)).Order().ToArray();
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        Console.WriteLine("| Measure | Value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Background load asked / achieved (readings/s, {BackgroundDevices} devices, QoS 1) | {backgroundPerSecond:N0} / {achieved:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Probes sent / alertRaised received | {probes} / {latencies.Length} |"));
        if (latencies.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Publish → alertRaised p50 / p90 / p99 / max | {Percentile(0.5):0.0} / {Percentile(0.9):0.0} / {Percentile(0.99):0.0} / {latencies[^1]:0.0} ms |"));
        }
        foreach (var client in backgroundClients.Concat(probeClients))
        {
            client.Dispose();
        }
        return new AlertLatencyResult(backgroundPerSecond, achieved, probes, latencies.Length,
            latencies.Length > 0 ? Percentile(0.5) : double.NaN, latencies.Length > 0 ? Percentile(0.99) : double.NaN, cpuUse);
    }

    private static MqttApplicationMessage Message(string topic, DateTimeOffset at, int spo2) =>
        new MqttApplicationMessageBuilder().WithTopic(topic)
            .WithPayload($$"""[{"bt":{{(at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)}},"n":"spo2","u":"%","v":{{spo2}}}]""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static async Task<(string DeviceId, string Secret)> RegisterAsync(HttpClient staff, string name)
    {
        var patient = await PostAsync(staff, "/api/patients", new { displayName = name });
        var device = await PostAsync(staff, "/api/devices", new { patientId = patient.GetProperty("id").GetString(), type = "pulse_oximeter" });
        return (device.GetProperty("deviceId").GetString()!, device.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string deviceId, string secret)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"{deviceId}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());
        return result.ResultCode == MqttClientConnectResultCode.Success ? client : throw new InvalidOperationException($"{deviceId} refused: {result.ResultCode}");
    }
}
