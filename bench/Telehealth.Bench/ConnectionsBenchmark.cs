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
/// Many connected devices: the platform as its own process (embedded default), N devices registered, and the
/// end-to-end rate of 50 active devices measured in rounds alone and beside N idle MQTT 5 connections (keep-alive
/// 60 s, held by <see cref="IdleMqttConnections"/>), in the order alone, with, with, alone, alone, with, ... so each
/// pair of neighbouring rounds compares the two under nearly the same machine load; the idle connections are opened
/// before and closed after each pair of with-rounds, and unmeasured traffic follows each change (see
/// <see cref="Transition"/>). One alone round against one with-round on a shared 2-core machine was a
/// coin toss (77 % to 114 % in seven runs). Also the platform's resident memory before and after the
/// first connect (from /proc, so the bench's own clients do not count) and, as exact counts, every idle connection
/// answering its pings at the end of each with-period and every reading stored. Prints the rounds and one table.
/// </summary>
public static class ConnectionsBenchmark
{
    private const int ActiveDevices = 50;

    /// <summary>Pairs of rounds (one alone, one with the idle connections); the figure is the median of their ratios.</summary>
    /// <summary>Six pairs of short rounds: neighbouring rounds are seconds apart, so the machine's other load differs less between them.</summary>
    private const int Pairs = 6;

    /// <summary>
    /// After the idle connections were opened or closed, the active devices keep sending, unmeasured, for at least this
    /// long before the next round. The first collection after 10,000 connects promotes their fresh state (about 80 MB)
    /// in one pause of 0.3–0.5 s, and a background gen2 collection of the doubled heap follows 5–8 s of traffic later;
    /// closing them leaves as much garbage. Those are the cost of a fleet (re)connecting, not of connections being
    /// there, and landed in whichever round came next (profiled: the with-rounds' extra GC time was these two).
    /// Both kinds of round get the same transition.
    /// </summary>
    private static readonly TimeSpan Transition = TimeSpan.FromSeconds(8);

    /// <summary>Readings per device in each burst of the transition.</summary>
    private const int TransitionBurstPerActive = 20;

    /// <summary>Device time between a transition's readings (see <see cref="TransitionAsync"/>).</summary>
    private static readonly TimeSpan TransitionSpacing = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

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
        var activeClients = await Task.WhenAll(active.Select(d => ConnectAsync(mqttPort, d.DeviceId, d.Secret)));
        // Readings of different rounds never share a time (a repeat would be a duplicate, not stored twice).
        var firstReading = DateTimeOffset.UtcNow.AddHours(-2 * Pairs - 12);
        var sent = 0;
        // A warm-up as long as a transition: with 50 readings per device the first round still ran partly compiled
        // (about 420 µs of platform CPU per reading against 300 in the later rounds), which skewed the first pair.
        sent += await TransitionAsync(activeClients, active, firstReading);

        await Task.Delay(Settle);
        Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] quiet window, no idle connections");
        var quietWithout = CpuWindow.Start(platform.ProcessId);
        await Task.Delay(Settle);
        var idleCpuWithout = quietWithout.Stop(platform.ProcessId);
        var before = ResidentBytes(platform.ProcessId);
        double after = double.NaN, connectSeconds = double.NaN;
        CpuWindow.Sample? idleCpuWith = null;
        var alive = new List<int>();
        var rounds = new List<ConnectionsRound>();
        IdleMqttConnections? connections = null;
        try
        {
            for (var number = 1; number <= 2 * Pairs; number++)
            {
                // alone, with, with, alone, alone, with, ...: the idle connections change state between pairs of rounds.
                var withIdle = number % 4 is 2 or 3;
                if (withIdle && connections is null)
                {
                    var connecting = Stopwatch.StartNew();
                    connections = await IdleMqttConnections.ConnectAsync(mqttPort, [.. idleDevices.Select(d => (d.DeviceId, d.Secret))]);
                    if (double.IsNaN(connectSeconds))
                    {
                        connectSeconds = connecting.Elapsed.TotalSeconds;
                        await Task.Delay(Settle);
                        Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] quiet window, {idle:N0} idle connections");
                        var quietWith = CpuWindow.Start(platform.ProcessId);
                        await Task.Delay(Settle);
                        idleCpuWith = quietWith.Stop(platform.ProcessId);
                        after = ResidentBytes(platform.ProcessId);
                    }
                    sent += await TransitionAsync(activeClients, active, firstReading.AddHours(number).AddMinutes(30));
                }
                else if (!withIdle && connections is not null)
                {
                    alive.Add(await connections.CountAliveAsync());
                    await connections.DisposeAsync();
                    connections = null;
                    sent += await TransitionAsync(activeClients, active, firstReading.AddHours(number).AddMinutes(30));
                }

                var startedAt = Stopwatch.GetTimestamp();
                var startedUtc = DateTime.UtcNow;
                var window = CpuWindow.Start(platform.ProcessId);
                await SendAsync(activeClients, active, readingsPerActive, firstReading.AddHours(number));
                var sample = window.Stop(platform.ProcessId);
                sent += ActiveDevices * readingsPerActive;
                var round = new ConnectionsRound(number, withIdle, ActiveDevices * readingsPerActive, sample.Seconds, sample.PlatformCpuSeconds,
                    sample.BenchCpuSeconds, sample.MachineBusyPercent, sample.MachineStolenPercent);
                rounds.Add(round);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {number} {(withIdle ? "with idle" : "alone    ")}: {round.Rate,6:0} readings/s; platform {round.PlatformMicrosecondsPerReading:0} µs CPU per reading, bench {round.BenchCpuSeconds / round.Seconds * 100:0} %, machine {round.MachineBusyPercent:0} % busy, {round.MachineStolenPercent:0} % stolen (monotonic {startedAt / (double)Stopwatch.Frequency:0.000}–{Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000} s, UTC {startedUtc:HH:mm:ss.fff}–{DateTime.UtcNow:HH:mm:ss.fff}, for slicing a profile)"));
            }
            if (connections is not null)
            {
                alive.Add(await connections.CountAliveAsync());
            }
        }
        finally
        {
            if (connections is not null)
            {
                await connections.DisposeAsync();
            }
        }
        var cpuUse = cpu?.Stop();
        foreach (var client in activeClients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
        var stored = 0;
        foreach (var device in active)
        {
            using var response = await staff.GetAsync($"/api/patients/{device.PatientId}/readings?limit=100000");
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            stored += body.RootElement.GetArrayLength();
        }

        var stillConnected = alive.Count > 0 ? alive.Min() : 0;
        var perConnection = (after - before) / idle;
        var result = new ConnectionsResult(idle, stillConnected, perConnection, rounds, stored, sent, cpuUse);
        Console.WriteLine("| Measure | Value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Idle devices connected (answering pings at the end of each with-period) | {idle:N0} ({string.Join(", ", alive.Select(a => a.ToString("N0", CultureInfo.InvariantCulture)))}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Time to connect them (batches of 200) | {connectSeconds:0.0} s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Platform resident memory before / after | {before / 1048576.0:0} MB / {after / 1048576.0:0} MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Resident memory per idle connection | {perConnection / 1024:0.0} KB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Platform CPU with nothing active, without / with the idle connections | {idleCpuWithout.PlatformPercent:0.0} % / {idleCpuWith?.PlatformPercent:0.0} % |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Readings stored / sent | {stored:N0} / {sent:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ActiveDevices} active devices, readings/s, alone (median of {Pairs}) | {result.RateAlone:0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ActiveDevices} active devices, readings/s, with the idle connections (median of {Pairs}) | {result.RateWithIdle:0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| With / alone per pair of rounds; median (min–max) | {string.Join(", ", result.PairRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; {result.RateRatio:0.00} ({result.RatioMin:0.00}–{result.RatioMax:0.00}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Platform CPU per reading, with / alone per pair; median | {string.Join(", ", result.PairCpuRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; {result.CpuRatio:0.00} |"));
        return result;
    }

    /// <summary>Unmeasured traffic for at least <see cref="Transition"/>; returns the readings sent.</summary>
    private static async Task<int> TransitionAsync(IReadOnlyList<IMqttClient> clients, IReadOnlyList<(string DeviceId, string Secret, string PatientId)> devices, DateTimeOffset start)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < Transition)
        {
            // A tenth of a second apart in device time: the half hour before the next round then holds 18,000 readings
            // per device. One second apart, a transition faster than 11,250 readings/s ran into the next round's
            // times, and those of its readings were repeats, stored once (a run counted 4,000 "missing").
            await SendAsync(clients, devices, TransitionBurstPerActive, start + TransitionSpacing * (sent / devices.Count), TransitionSpacing);
            sent += devices.Count * TransitionBurstPerActive;
        }
        return sent;
    }

    /// <summary>Every active device sends its readings (one per message, QoS 1, one in flight) and waits for each PUBACK.</summary>
    private static async Task SendAsync(IReadOnlyList<IMqttClient> clients, IReadOnlyList<(string DeviceId, string Secret, string PatientId)> devices, int readings, DateTimeOffset start,
        TimeSpan? spacing = null)
    {
        var apart = spacing ?? TimeSpan.FromSeconds(1);
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var topic = $"telehealth/v1/devices/{devices[index].DeviceId}/readings";
            for (var i = 0; i < readings; i++)
            {
                var at = ((start + i * apart).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
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
    }

    private static async Task<List<(string DeviceId, string Secret, string PatientId)>> RegisterAsync(HttpClient staff, int count, string prefix)
    {
        var devices = new (string, string, string)[count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var patient = await PostAsync(staff, "/api/patients", new { displayName = $"{prefix} {i}" });
                var patientId = patient.GetProperty("id").GetString()!;
                var device = await PostAsync(staff, "/api/devices", new { patientId, type = "pulse_oximeter" });
                devices[i] = (device.GetProperty("deviceId").GetString()!, device.GetProperty("secret").GetString()!, patientId);
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
            .WithKeepAlivePeriod(IdleMqttConnections.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{deviceId} refused: {result.ResultCode}");
        }
        return client;
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
