using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.TestSupport;

namespace Telehealth.Bench;

/// <summary>
/// Many connected devices: the platform as its own process (embedded default), N devices registered and connected
/// (MQTT 5, idle, keep-alive 60 s), its resident memory before and after (from /proc, so the bench's own clients do not
/// count), and the end-to-end rate of 50 active devices before and with the N idle connections, to see whether
/// throughput stays flat. Prints one table.
/// </summary>
public static class ConnectionsBenchmark
{
    private const int ActiveDevices = 50;

    public static async Task<ConnectionsResult> RunAsync(int idle, int readingsPerActive, Scale.ProcessCpuSampler? cpu = null)
    {
        // The platform's data (its WAL can reach tens of MB) goes with the run: repeated runs once filled the disk.
        var data = Path.Combine(Path.GetTempPath(), "telehealth-bench-connections-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await RunInAsync(data, idle, readingsPerActive, cpu);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<ConnectionsResult> RunInAsync(string data, int idle, int readingsPerActive, Scale.ProcessCpuSampler? cpu = null)
    {
        var adminPassword = "Bench-" + Guid.NewGuid().ToString("N")[..12];
        var mqttPort = FreePort.Next();
        await using var platform = await PlatformProcess.StartAsync(data, adminPassword, FreePort.Next(), mqttPort, settings: new Dictionary<string, string?>
        {
            ["Devices:MessagesPerSecond"] = "100000",
            ["Devices:Burst"] = "100000",
            // Every connection comes from one source address here (loopback): the per-source limits are not under test.
            ["Mqtt:Embedded:MaxConnectionsPerSource"] = (idle + ActiveDevices + 100).ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Embedded:ConnectAttemptsPerSecondPerSource"] = "100000",
            ["Mqtt:Embedded:ConnectAttemptBurstPerSource"] = "100000",
            ["Mqtt:Embedded:MaxConnections"] = (idle + ActiveDevices + 100).ToString(CultureInfo.InvariantCulture),
        });
        cpu?.Label(platform.ProcessId, "platform");
        using var staff = await platform.CreateStaffClientAsync(adminPassword);

        var registering = Stopwatch.StartNew();
        var active = await RegisterAsync(staff, ActiveDevices, "Active");
        var idleDevices = await RegisterAsync(staff, idle, "Idle");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {ActiveDevices + idle} devices in {registering.Elapsed.TotalSeconds:0} s"));

        cpu?.Start();
        var rateAlone = await ActiveRateAsync(mqttPort, active, readingsPerActive, round: 0);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = ResidentBytes(platform.ProcessId);

        var connecting = Stopwatch.StartNew();
        var clients = new List<IMqttClient>(idle);
        foreach (var batch in idleDevices.Chunk(200))
        {
            clients.AddRange(await Task.WhenAll(batch.Select(d => ConnectAsync(mqttPort, d.DeviceId, d.Secret))));
        }
        var connectSeconds = connecting.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after = ResidentBytes(platform.ProcessId);
        var rateWithIdle = await ActiveRateAsync(mqttPort, active, readingsPerActive, round: 1);
        var cpuUse = cpu?.Stop();
        var stillConnected = clients.Count(c => c.IsConnected);
        var perConnection = (after - before) / (double)idle;

        Console.WriteLine("| Measure | Value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Idle devices connected (still connected at the end) | {idle:N0} ({stillConnected:N0}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Time to connect them (batches of 200) | {connectSeconds:0.0} s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Platform resident memory before / after | {before / 1048576.0:0} MB / {after / 1048576.0:0} MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Resident memory per idle connection | {perConnection / 1024:0.0} KB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ActiveDevices} active devices, readings/s, alone | {rateAlone:0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ActiveDevices} active devices, readings/s, with the idle connections | {rateWithIdle:0} ({rateWithIdle / rateAlone:P0} of alone) |"));

        foreach (var client in clients)
        {
            client.Dispose();
        }
        return new ConnectionsResult(idle, stillConnected, perConnection, rateAlone, rateWithIdle, cpuUse);
    }

    private static async Task<List<(string DeviceId, string Secret)>> RegisterAsync(HttpClient staff, int count, string prefix)
    {
        var devices = new (string, string)[count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var patient = await PostAsync(staff, "/api/patients", new { displayName = $"{prefix} {i}" });
                var device = await PostAsync(staff, "/api/devices", new { patientId = patient.GetProperty("id").GetString(), type = "pulse_oximeter" });
                devices[i] = (device.GetProperty("deviceId").GetString()!, device.GetProperty("secret").GetString()!);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. devices];
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
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"{deviceId}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{deviceId} refused: {result.ResultCode}");
        }
        return client;
    }

    /// <summary>The active devices each send their readings (one per message, QoS 1, one in flight); readings/s until the last PUBACK.</summary>
    private static async Task<double> ActiveRateAsync(int port, IReadOnlyList<(string DeviceId, string Secret)> devices, int readings, int round)
    {
        var clients = await Task.WhenAll(devices.Select(d => ConnectAsync(port, d.DeviceId, d.Secret)));
        var start = DateTimeOffset.UtcNow.AddDays(-2 + round);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var topic = $"telehealth/v1/devices/{devices[index].DeviceId}/readings";
            for (var i = 0; i < readings; i++)
            {
                var at = (start.AddSeconds(i).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
                var message = new MqttApplicationMessageBuilder().WithTopic(topic)
                    .WithPayload($$"""[{"bt":{{at}},"n":"spo2","u":"%","v":97}]""")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                var published = await client.PublishAsync(message);
                if (published.ReasonCode != MqttClientPublishReasonCode.Success)
                {
                    throw new InvalidOperationException($"reading refused: {published.ReasonCode}");
                }
            }
        })));
        var rate = devices.Count * readings / clock.Elapsed.TotalSeconds;
        foreach (var client in clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
        return rate;
    }

    private static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("No VmRSS for the platform process.");
    }
}
