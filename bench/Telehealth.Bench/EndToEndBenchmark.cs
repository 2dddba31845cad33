using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Contracts.Devices;
using Telehealth.TestSupport;

namespace Telehealth.Bench;

/// <summary>
/// The whole path on one machine: a fresh platform (embedded broker, SQLite, ingest, alert engine, Kestrel),
/// K registered devices each publishing over its own MQTT 5 connection with QoS 1. A PUBACK is sent only after
/// storage and alert evaluation, so the clock stops when the last PUBACK arrives; the stored count is then read
/// back through GET /api/patients/{id}/readings and must equal what was sent. Messages are <see cref="Scale.ScalePayload"/>'s
/// (normal values; with <see cref="EndToEndSettings.Settled"/> one critical message per device).
/// </summary>
public static class EndToEndBenchmark
{
    /// <summary>
    /// Warm-up rounds at most. Eight were not enough: every recorded run used all eight and still compiled 800-1,100
    /// methods in the last, and a profile inside the clock had the tier-up compiler thread at 21 % of the samples
    /// (2 % once the rounds went on until the JIT was quiet, after 9-11 rounds; 102-108 µs of CPU per reading against
    /// 131-147). The same bound as the split phase's.
    /// </summary>
    private const int WarmUpRounds = 20;

    /// <summary>Sets of warm-up persons, each as many as the measured ones, taken in turn by the rounds.</summary>
    private const int WarmUpSets = 3;

    /// <summary>A warm-up round compiling fewer methods than this leaves the JIT quiet enough to measure.</summary>
    private const int WarmJitQuiet = 200;

    public static async Task<EndToEndResult> RunAsync(EndToEndSettings settings, CancellationToken cancellationToken, Scale.ProcessCpuSampler? cpu = null)
    {
        // Throughput of the path itself: the per-device rate limit (FloodBenchmark measures it) is lifted here.
        var configuration = new Dictionary<string, string?>
        {
            ["Devices:MessagesPerSecond"] = "100000",
            ["Devices:Burst"] = "1000000",
        };
        if (settings.Settled)
        {
            // The bench's team has no duty rota: the escalation worker's warning for each alert is expected here.
            configuration["Logging:LogLevel:Telehealth.Alerts.Escalation"] = "Error";
        }
        if (settings.FhirServer is { } fhirServer)
        {
            configuration["Fhir:Server"] = fhirServer.ToString();
        }
        if (settings.LookupCacheTtl is { } ttl)
        {
            configuration["Devices:LookupCacheTtl"] = ttl.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var platform = await TelehealthPlatform.StartAsync(configuration);
        using var staff = await platform.CreateStaffClientAsync();

        var devices = await RegisterAsync("Bench Person");
        var measured = devices.Select(device => device.PatientId).ToHashSet(StringComparer.Ordinal);

        // With Settled: a dashboard, as a clinician's browser would be, counting the persons it was told about.
        var alerted = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var everyAlert = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var dashboard = settings.Settled
            ? new HubConnectionBuilder()
                .WithUrl(new Uri(platform.BaseAddress, "/hubs/alerts"), o => o.AccessTokenProvider = () => Task.FromResult(staff.DefaultRequestHeaders.Authorization?.Parameter))
                .Build()
            : null;
        if (dashboard is not null)
        {
            dashboard.On<JsonElement>("alertRaised", alert =>
            {
                // Only the measured persons count: the warm-up's have alerts of their own.
                var patientId = alert.GetProperty("patientId").GetString()!;
                if (measured.Contains(patientId) && alerted.TryAdd(patientId, true) && alerted.Count == settings.Devices)
                {
                    everyAlert.TrySetResult();
                }
            });
            await dashboard.StartAsync(cancellationToken);
        }
        var criticalMessage = settings.Settled ? settings.MessagesPerDevice / 2 : -1;

        var clients = await ConnectAsync(devices);

        // Device times: one reading pair per second, ending an hour before now (inside the NEWS2 window, never in the
        // future); the warm-up's messages come first in device time.
        var warmUp = settings.WarmUpMessagesPerDevice;
        var firstSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - settings.MessagesPerDevice;
        var ackTimes = new double[settings.Devices * settings.MessagesPerDevice];
        var acknowledged = 0;
        var failed = 0;

        var warmUpReadings = 0;
        var warmUpCompiled = new List<long>();
        if (warmUp > 0)
        {
            // A warm-up before the clock, by as many other persons and devices: the figure is the sustained rate of a
            // running platform, not of its first seconds (a cold 15 s phase spent about a quarter of its CPU compiling).
            // One critical message each, so raising, pushing and recording alerts is warm too; the measured persons
            // start with nothing stored, as before. In rounds, as the split phase warms its instances: tiered
            // compilation compiles a hot method again with instrumentation, then optimised, and holds that back while
            // other methods are still being compiled, so one round left 1,250-7,700 methods to compile inside the clock
            // (16-24 % of the process's CPU there, in a profile). Work done once per person is called 50 times a round,
            // so the first rounds take a new set of persons each; rounds go on until fewer than WarmJitQuiet methods
            // are compiled in one (at most WarmUpRounds), each stored, evaluated and pushed before the next.
            var warmSets = new List<(List<(string PatientId, string DeviceId, string Secret)> Devices, List<IMqttClient> Clients)>();
            var warmFirstSecond = firstSecond - WarmUpRounds * warmUp;
            for (var round = 0; round < WarmUpRounds; round++)
            {
                if (round < WarmUpSets)
                {
                    var setDevices = await RegisterAsync($"Bench Warm-up Person {round + 1}");
                    warmSets.Add((setDevices, await ConnectAsync(setDevices)));
                }
                var (warmDevices, warmClients) = warmSets[round % WarmUpSets];
                var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
                var warmAcks = new double[settings.Devices * warmUp];
                var (warmAcknowledged, warmFailed) = await PublishAllAsync(warmDevices, warmClients, warmUp, warmFirstSecond + round * warmUp, warmUp / 2, warmAcks);
                if (warmAcknowledged != settings.Devices * warmUp || warmFailed != 0)
                {
                    throw new InvalidOperationException($"Warm-up round {round + 1}: {warmAcknowledged} of {settings.Devices * warmUp} messages acknowledged, {warmFailed} refused.");
                }
                warmUpReadings += warmAcknowledged * EndToEndSettings.ReadingsPerMessage;
                await platform.SettledAsync(TimeSpan.FromMinutes(5));
                await FhirDrainedAsync();
                warmUpCompiled.Add(System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore);
                // Two quiet rounds in a row: one alone is no sign the JIT is done (a recorded run stopped after rounds
                // compiling 2,892, 2,080 and 183 methods, and its clock then cost 139 µs of CPU per reading, against
                // 70-96 after eleven rounds: the tier-up compiler was still at work inside it).
                if (round >= WarmUpSets - 1 && warmUpCompiled.Count >= 2 && warmUpCompiled[^1] < WarmJitQuiet && warmUpCompiled[^2] < WarmJitQuiet)
                {
                    break;
                }
            }
            foreach (var (_, warmClients) in warmSets)
            {
                await DisconnectAsync(warmClients);
            }
        }

        cpu?.Start();
        var writeTurns = platform.Services.GetService(typeof(Telehealth.Storage.Sqlite.SqliteDatabase)) is Telehealth.Storage.Sqlite.SqliteDatabase database
            ? database.WriteTurns
            : null;
        var turnsBefore = writeTurns?.Totals;
        var cost = ProcessCostPerReading.Start();
        var stopwatch = Stopwatch.StartNew();
        (acknowledged, failed) = await PublishAllAsync(devices, clients, settings.MessagesPerDevice, firstSecond, criticalMessage, ackTimes);
        var elapsed = stopwatch.Elapsed;
        TimeSpan? settled = null;
        if (settings.Settled)
        {
            await platform.SettledAsync(TimeSpan.FromMinutes(5));
            try
            {
                await everyAlert.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Reported as a count below (AlertsPushed short of Devices), which fails the run.
            }
            await FhirDrainedAsync();
            settled = stopwatch.Elapsed;
        }
        stopwatch.Stop();
        var turnsAfter = writeTurns?.Totals;
        var cpuUse = cpu?.Stop();
        var costPerReading = cost.Stop(settings.TotalReadings);

        var stored = 0;
        foreach (var (patientId, _, _) in devices)
        {
            using var response = await staff.GetAsync($"/api/patients/{patientId}/readings?limit=100000", cancellationToken);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            stored += body.RootElement.GetArrayLength();
        }

        await DisconnectAsync(clients);

        Array.Sort(ackTimes);
        return new EndToEndResult(
            settings,
            acknowledged * EndToEndSettings.ReadingsPerMessage,
            failed,
            stored,
            elapsed,
            Percentile(ackTimes, 0.50),
            Percentile(ackTimes, 0.99),
            ackTimes[^1])
        {
            SettledElapsed = settled,
            AlertsPushed = alerted.Count,
            WarmUpReadings = warmUpReadings,
            WarmUpCompiled = warmUpCompiled,
            Cpu = cpuUse,
            Cost = costPerReading,
            WriteTurns = turnsBefore is { } before && turnsAfter is { } after ? (after.Turns - before.Turns, after.Held - before.Held) : null,
        };

        // With a FHIR server: until nothing is pending in the outbox (the caller counts what the server received).
        async Task FhirDrainedAsync()
        {
            if (settings.FhirServer is null)
            {
                return;
            }
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMinutes(5))
            {
                using var response = await staff.GetAsync("/api/fhir/outbox?status=pending&limit=1", cancellationToken);
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (body.RootElement.GetProperty("counts").GetProperty("pending").GetInt32() == 0)
                {
                    return;
                }
                await Task.Delay(20, cancellationToken);
            }
        }

        async Task<List<(string PatientId, string DeviceId, string Secret)>> RegisterAsync(string namePrefix)
        {
            var registered = new List<(string PatientId, string DeviceId, string Secret)>(settings.Devices);
            for (var i = 0; i < settings.Devices; i++)
            {
                var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"{namePrefix} {i}");
                var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
                registered.Add((patientId, deviceId, secret));
            }
            return registered;
        }

        async Task<List<IMqttClient>> ConnectAsync(List<(string PatientId, string DeviceId, string Secret)> toConnect)
        {
            var connectedClients = new List<IMqttClient>(toConnect.Count);
            foreach (var (_, deviceId, secret) in toConnect)
            {
                var client = new MqttClientFactory().CreateMqttClient();
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer("127.0.0.1", platform.MqttPort)
                    .WithClientId(deviceId + "-bench")
                    .WithCredentials(deviceId, secret)
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithCleanStart(true)
                    .WithTimeout(TimeSpan.FromSeconds(60))
                    .Build();
                var connected = await client.ConnectAsync(options, cancellationToken);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"Device {deviceId} could not connect: {connected.ResultCode}.");
                }
                connectedClients.Add(client);
            }
            return connectedClients;
        }

        static async Task DisconnectAsync(List<IMqttClient> toDisconnect)
        {
            foreach (var client in toDisconnect)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
                client.Dispose();
            }
        }

        // Every device publishes `messages` messages (device times from `startSecond`, one per second), at most
        // InFlightPerClient unacknowledged at once; each PUBACK's round trip goes into `acks` by device and message.
        async Task<(int Acknowledged, int Failed)> PublishAllAsync(
            List<(string PatientId, string DeviceId, string Secret)> publishing, List<IMqttClient> publishingClients,
            int messages, long startSecond, int criticalMessage, double[] acks)
        {
            var ok = 0;
            var refused = 0;
            var publishers = publishing.Select((device, index) => Task.Run(async () =>
            {
                var client = publishingClients[index];
                var topic = DeviceTopics.Readings(device.DeviceId);
                using var inFlight = new SemaphoreSlim(settings.InFlightPerClient);
                var pending = new List<Task>(messages);
                for (var m = 0; m < messages; m++)
                {
                    await inFlight.WaitAsync(cancellationToken);
                    var slot = index * messages + m;
                    var payload = Scale.ScalePayload.Message(device.DeviceId, startSecond + m, critical: m == criticalMessage, m);
                    pending.Add(PublishOneAsync(client, topic, payload, slot));
                }
                await Task.WhenAll(pending);

                async Task PublishOneAsync(IMqttClient mqtt, string mqttTopic, byte[] body, int ackSlot)
                {
                    try
                    {
                        var started = Stopwatch.GetTimestamp();
                        var message = new MqttApplicationMessageBuilder()
                            .WithTopic(mqttTopic)
                            .WithPayload(body)
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                            .Build();
                        var result = await mqtt.PublishAsync(message, cancellationToken);
                        acks[ackSlot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                        {
                            Interlocked.Increment(ref ok);
                        }
                        else
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(publishers);
            return (ok, refused);
        }
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
