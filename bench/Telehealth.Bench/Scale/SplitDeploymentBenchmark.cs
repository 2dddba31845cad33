using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.TestSupport;

namespace Telehealth.Bench.Scale;

/// <summary>
/// The split deployment the docs recommend (<see cref="SplitTopology"/>: nats-server with JetStream and its MQTT
/// listener, influxd, PostgreSQL, redis-server, two platform instances as their own processes). Devices are
/// registered through the API, connect to the broker with their own credentials (MQTT 3.1.1, as nats-server
/// requires) and publish at QoS 1 with a window in flight; one message per device is critical. First a warm-up by as
/// many other persons' devices, in rounds of the measured size (with alerts), until the instances' JIT is quiet (the
/// instances start fresh; a deployment does not), then the idle baseline, then the measured run. The clock stops when
/// the broker's consumer has nothing pending or unacknowledged (an instance acknowledges a message once its readings
/// are stored in InfluxDB and queued for evaluation), the evaluation queue is empty, and a dashboard on the other
/// instance has been pushed an alert for every person; then InfluxDB is counted and must hold every reading.
/// </summary>
public static class SplitDeploymentBenchmark
{
    /// <summary>As docker-compose.yml sets Mqtt__Nats__AckWait.</summary>
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleBaseline = TimeSpan.FromSeconds(10);
    /// <summary>A run fails when InfluxDB's count has not moved for this long.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);

    public static async Task<SplitDeploymentResult> RunAsync(int devices, int messagesPerDevice, int warmUpMessagesPerDevice, int inFlight, ProcessCpuSampler cpu,
        CancellationToken cancellationToken)
    {
        await using var topology = await SplitTopology.StartAsync(usePostgres: true, AckWait);
        cpu.Label(topology.Instance(0).ProcessId, "platform-1");
        cpu.Label(topology.Instance(1).ProcessId, "platform-2");
        using var staff = await topology.Instance(0).CreateStaffClientAsync(topology.AdminPassword);
        var registered = new List<(string PatientId, string DeviceId, string Secret)>(devices);
        var warmRegistered = Enumerable.Range(0, WarmUpSets).Select(_ => new List<(string PatientId, string DeviceId, string Secret)>(devices)).ToArray();
        for (var i = 0; i < devices; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Scale Person {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            registered.Add((patientId, deviceId, secret));
            for (var set = 0; set < WarmUpSets; set++)
            {
                var warmPatientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Scale Warm-up Person {set}-{i}");
                var (warmDeviceId, warmSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, warmPatientId);
                warmRegistered[set].Add((warmPatientId, warmDeviceId, warmSecret));
            }
        }
        var measuredPersons = registered.Select(r => r.PatientId).ToHashSet(StringComparer.Ordinal);

        // The dashboard follows the second instance: alerts raised by the first reach it through Redis.
        var alerted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var everyAlert = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var warmAlerted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var token = staff.DefaultRequestHeaders.Authorization!.Parameter;
        await using var dashboard = new HubConnectionBuilder()
            .WithUrl(new Uri(topology.Instance(1).BaseAddress, "/hubs/alerts"), o => o.AccessTokenProvider = () => Task.FromResult(token))
            .Build();
        dashboard.On<JsonElement>("alertRaised", alert =>
        {
            var patientId = alert.GetProperty("patientId").GetString()!;
            if (!measuredPersons.Contains(patientId))
            {
                warmAlerted.TryAdd(patientId, true);
            }
            else if (alerted.TryAdd(patientId, true) && alerted.Count == devices)
            {
                everyAlert.TrySetResult();
            }
        });
        await dashboard.StartAsync(cancellationToken);

        var clients = new IMqttClient[devices];
        for (var i = 0; i < devices; i++)
        {
            clients[i] = await ConnectWhenUserExistsAsync(topology.Broker, registered[i].DeviceId, registered[i].Secret, cancellationToken);
        }

        var total = devices * messagesPerDevice * ScalePayload.ReadingsPerMessage;
        var firstSecond = ScalePayload.FirstSecond(messagesPerDevice);
        var critical = messagesPerDevice / 2;
        var careRecord = topology.CareRecordConnectionString!;

        // Warm-up, before the idle baseline and the clock: a deployment runs for days, but these instances start fresh.
        // Other persons' devices (as many as the measured ones) send rounds of the measured size with one critical
        // message each, so the alert path (raise, FHIR, SignalR through Redis) is compiled too, not first used inside
        // the clock. Tiered compilation needs several rounds: a hot method is compiled again with instrumentation, then
        // optimised, and the runtime holds that back while other methods are still being compiled; one round of normal
        // readings had left the alert path uncompiled and about 2,300 methods half way, whose compiles fell inside the
        // clock (3,500 methods in 6 s, about a third of the instances' CPU). Work done once per person (an alert raised,
        // the person's FHIR Patient queued) is called 50 times a round, too few to finish tiering, so the first rounds
        // take a new set of persons each. Rounds go on until each instance compiles fewer than WarmJitQuiet methods in two rounds in a row
        // (at most WarmUpRounds); every round is stored, evaluated and its alerts pushed before the next.
        var warmClients = new IMqttClient[WarmUpSets][];
        for (var set = 0; set < WarmUpSets; set++)
        {
            warmClients[set] = new IMqttClient[devices];
            for (var i = 0; i < devices; i++)
            {
                warmClients[set][i] = await ConnectWhenUserExistsAsync(topology.Broker, warmRegistered[set][i].DeviceId, warmRegistered[set][i].Secret, cancellationToken);
            }
        }
        var warmMessages = warmUpMessagesPerDevice;
        var warmRoundTotal = devices * warmMessages * ScalePayload.ReadingsPerMessage;
        var warmFirstSecond = ScalePayload.FirstSecond(warmMessages * WarmUpRounds);
        var warmTotal = 0;
        var warmRounds = new List<string>();
        var quiet = false;
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var set = round % WarmUpSets;
            var jitBefore = await TakeRuntimeAsync(topology, cancellationToken);
            var warmAcknowledged = await PublishAllAsync(warmClients[set], warmRegistered[set], warmMessages, warmFirstSecond + round * warmMessages,
                critical: warmMessages / 2, inFlight, cancellationToken);
            warmTotal += warmRoundTotal;
            var warmStored = await WaitForStoredAsync(topology, warmTotal, cancellationToken);
            if (warmAcknowledged != warmRoundTotal || warmStored != warmTotal)
            {
                throw new InvalidOperationException($"Warm-up round {round + 1}: {warmRoundTotal} readings sent, {warmAcknowledged} acknowledged, {warmStored} of {warmTotal} stored.");
            }
            await WaitForEvaluationAsync(topology.Instance(0), cancellationToken);
            // A set's first round raises an alert for each of its persons.
            var warmAlertsDue = devices * Math.Min(round + 1, WarmUpSets);
            var alertWait = Stopwatch.StartNew();
            while (warmAlerted.Count < warmAlertsDue)
            {
                if (alertWait.Elapsed > Stall)
                {
                    throw new TimeoutException($"Warm-up round {round + 1}: {warmAlerted.Count} of {warmAlertsDue} alerts reached the dashboard.");
                }
                await Task.Delay(50, cancellationToken);
            }
            var jitAfter = await TakeRuntimeAsync(topology, cancellationToken);
            var compiled = new[] { jitAfter[0].JitMethodsSince(jitBefore[0]), jitAfter[1].JitMethodsSince(jitBefore[1]) };
            warmRounds.Add(string.Create(CultureInfo.InvariantCulture, $"{compiled[0]:0} / {compiled[1]:0}"));
            Console.WriteLine($"  split: [{DateTime.UtcNow:HH:mm:ss}] warm-up round {round + 1}: {warmRoundTotal} readings stored and evaluated; methods compiled by the instances {warmRounds[^1]}");
            // Two quiet rounds in a row, as the embedded phase's warm-up (EndToEndBenchmark): one alone is no sign.
            var quietBefore = quiet;
            quiet = compiled.Max() < WarmJitQuiet;
            if (round >= WarmUpSets - 1 && quiet && quietBefore)
            {
                break;
            }
        }
        foreach (var client in warmClients.SelectMany(set => set))
        {
            await DisconnectAsync(client, cancellationToken);
        }

        // The same topology with no readings arriving, for as long: what its polling workers cost on their own, so the
        // run's CPU and database work can be read against it.
        var idleBefore = await PostgresActivity.TakeAsync(careRecord, cancellationToken);
        var idleRuntimeBefore = await TakeRuntimeAsync(topology, cancellationToken);
        cpu.Start();
        await Task.Delay(IdleBaseline, cancellationToken);
        var idleCpu = cpu.Stop();
        var idleRuntime = await TakeRuntimeAsync(topology, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var idlePostgres = (await PostgresActivity.TakeAsync(careRecord, cancellationToken)).Since(idleBefore, 0);

        var postgresBefore = await PostgresActivity.TakeAsync(careRecord, cancellationToken);
        var runtimeBefore = await TakeRuntimeAsync(topology, cancellationToken);
        Console.WriteLine($"  split: [{DateTime.UtcNow:HH:mm:ss}] the clock starts");
        await using var autovacuum = AutovacuumWatch.Start(careRecord);
        cpu.Start();
        var clock = Stopwatch.StartNew();
        var acknowledged = await PublishAllAsync(clients, registered, messagesPerDevice, firstSecond, critical, inFlight, cancellationToken);
        var acknowledgedElapsed = clock.Elapsed;

        // Drained: the broker's consumer holds nothing pending or unacknowledged. An instance acknowledges a message only
        // once its readings are stored in InfluxDB and queued for evaluation, so from here every reading is stored; the
        // count in InfluxDB itself comes after the clock and must match exactly. (Counting InfluxDB while the clock ran,
        // every 250 ms over the warm-up's readings too, put the bench's own queries inside the measurement and made
        // the stages a quarter of a second coarse.)
        var consumer = await WaitForDrainedAsync(topology, cancellationToken);
        var drainedElapsed = clock.Elapsed;
        var evaluatedElapsed = TimeSpan.Zero;
        if (consumer is { AckPending: 0, Pending: 0 })
        {
            await WaitForEvaluationAsync(topology.Instance(0), cancellationToken);
            evaluatedElapsed = clock.Elapsed;
            try
            {
                await everyAlert.Task.WaitAsync(Stall, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Reported as a count (AlertsPushed short of Devices), which fails the run.
            }
        }
        var elapsed = clock.Elapsed;
        var use = cpu.Stop();
        var autovacuumDuringClock = await autovacuum.StopAsync();
        var runtimeAfter = await TakeRuntimeAsync(topology, cancellationToken);
        var stored = await WaitForStoredAsync(topology, warmTotal + total, cancellationToken) - warmTotal;
        var storedElapsed = drainedElapsed;
        // PostgreSQL publishes its counters about once a second.
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var postgresAfter = await PostgresActivity.TakeAsync(careRecord, cancellationToken);
        var postgres = $"{autovacuumDuringClock}; {postgresAfter.Since(postgresBefore, total)}; most execution time: {postgresAfter.TopStatements(postgresBefore)}; most called: {postgresAfter.MostCalled(postgresBefore)}";
        // The server's CPU over the clock's window: its process group's share of a core times the window.
        var postgresCpuSeconds = use.Groups.Where(g => g.Name == "postgres").Sum(g => g.Percent) / 100 * elapsed.TotalSeconds;
        var postgresPerReading = postgresAfter.PerReading(postgresBefore, total, postgresCpuSeconds);
        Console.WriteLine($"  split: PostgreSQL per reading: {postgresPerReading}");
        Console.WriteLine($"  split: consumer delivered {consumer?.Delivered}, redelivered {consumer?.Redelivered}, ack pending {consumer?.AckPending}, pending {consumer?.Pending}");

        foreach (var client in clients)
        {
            await DisconnectAsync(client, cancellationToken);
        }
        return new SplitDeploymentResult(devices, total, acknowledged, stored, alerted.Count, consumer?.Redelivered ?? -1,
            acknowledgedElapsed, elapsed, use)
        {
            Stages = (storedElapsed, drainedElapsed, evaluatedElapsed),
            Postgres = postgres,
            PostgresPerReading = postgresPerReading,
            Idle = $"{IdleBaseline.TotalSeconds:0} s with devices connected and nothing sent: CPU {idleCpu}; PostgreSQL {idlePostgres}; " +
                $"platform-1 runtime: {idleRuntime[0].Since(idleRuntimeBefore[0], 0)}; platform-2 runtime: {idleRuntime[1].Since(idleRuntimeBefore[1], 0)}",
            Runtime = [runtimeAfter[0].Since(runtimeBefore[0], total), runtimeAfter[1].Since(runtimeBefore[1], total)],
            InstancesCpuPerReading = (runtimeAfter[0].CpuSecondsSince(runtimeBefore[0]) + runtimeAfter[1].CpuSecondsSince(runtimeBefore[1])) / total,
            WarmUp = $"{warmRounds.Count} rounds of {warmRoundTotal:N0} readings by {devices} other persons' devices (one critical message each; {WarmUpSets} sets of persons in turn), methods compiled by the two instances in each round: {string.Join("; ", warmRounds)}",
        };
    }

    /// <summary>
    /// Rounds of warm-up at most (see the warm-up's comment). Eight were too few on a busy machine: recorded runs used all
    /// eight and the instances still compiled 500-1,800 methods in the last one, inside what came after.
    /// </summary>
    private const int WarmUpRounds = 20;

    /// <summary>Sets of warm-up persons, each as many as the measured ones, taken in turn by the rounds.</summary>
    private const int WarmUpSets = 3;

    /// <summary>A warm-up round in which each instance compiled fewer methods than this leaves the JIT quiet enough to measure.</summary>
    private const int WarmJitQuiet = 200;

    private static Task<RuntimeCounters[]> TakeRuntimeAsync(SplitTopology topology, CancellationToken cancellationToken) =>
        Task.WhenAll(RuntimeCounters.TakeAsync(topology.Instance(0).BaseAddress, cancellationToken),
            RuntimeCounters.TakeAsync(topology.Instance(1).BaseAddress, cancellationToken));

    private static async Task DisconnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Already gone; only the counts matter here.
        }
        client.Dispose();
    }

    /// <summary>Each device publishes <paramref name="messages"/> messages at QoS 1, <paramref name="inFlight"/> at a time; returns the readings acknowledged.</summary>
    private static async Task<int> PublishAllAsync(IMqttClient[] clients, List<(string PatientId, string DeviceId, string Secret)> registered, int messages,
        long firstSecond, int critical, int inFlight, CancellationToken cancellationToken)
    {
        var acknowledged = 0;
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var deviceId = registered[index].DeviceId;
            var topic = $"telehealth/v1/devices/{deviceId}/readings";
            using var window = new SemaphoreSlim(inFlight);
            var pending = new List<Task>(messages);
            for (var m = 0; m < messages; m++)
            {
                await window.WaitAsync(cancellationToken);
                var message = new MqttApplicationMessageBuilder().WithTopic(topic)
                    .WithPayload(ScalePayload.Message(deviceId, firstSecond + m, critical: m == critical, m))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                pending.Add(PublishAsync(client, message, window));
            }
            await Task.WhenAll(pending);
        }, cancellationToken)));
        return acknowledged;

        async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim window)
        {
            try
            {
                var result = await client.PublishAsync(message, cancellationToken);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    Interlocked.Add(ref acknowledged, ScalePayload.ReadingsPerMessage);
                }
            }
            finally
            {
                window.Release();
            }
        }
    }

    /// <summary>
    /// Until the broker's consumer has nothing pending or unacknowledged, or its state has not changed for
    /// <see cref="Stall"/>; returns the last state seen.
    /// </summary>
    private static async Task<NatsConsumerState?> WaitForDrainedAsync(SplitTopology topology, CancellationToken cancellationToken)
    {
        NatsConsumerState? consumer = null;
        var lastMove = Stopwatch.StartNew();
        while (lastMove.Elapsed < Stall)
        {
            var now = await topology.Broker.GetConsumerAsync("$MQTT_msgs", "telehealth-ingest");
            if (now is { AckPending: 0, Pending: 0 })
            {
                return now;
            }
            if (now != consumer)
            {
                consumer = now;
                lastMove.Restart();
            }
            await Task.Delay(20, cancellationToken);
        }
        return consumer;
    }

    /// <summary>Until InfluxDB holds <paramref name="expected"/> readings or its count stops moving for <see cref="Stall"/>; returns the count.</summary>
    private static async Task<long> WaitForStoredAsync(SplitTopology topology, long expected, CancellationToken cancellationToken)
    {
        long stored = 0;
        var lastMove = Stopwatch.StartNew();
        while (stored < expected && lastMove.Elapsed < Stall)
        {
            await Task.Delay(250, cancellationToken);
            var now = (await topology.CountStoredReadingsAsync()).Values.Sum();
            if (now != stored)
            {
                stored = now;
                lastMove.Restart();
            }
        }
        return stored;
    }

    /// <summary>
    /// Until the shared evaluation queue is empty (from <c>/health/ready</c>), for as long as it keeps shrinking: on a
    /// slow machine draining it can take minutes, and that time is the measurement, not a fault.
    /// </summary>
    private static async Task WaitForEvaluationAsync(PlatformProcess instance, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var lowest = int.MaxValue;
        var lastProgress = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync("/health/ready", cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var pending = body.RootElement.GetProperty("evaluation").GetProperty("pending").GetInt32();
            if (pending == 0)
            {
                return;
            }
            if (pending < lowest)
            {
                lowest = pending;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > Stall)
            {
                throw new TimeoutException($"The evaluation queue stopped draining at {pending} pending for {Stall.TotalSeconds:0} s.");
            }
            // Readiness counts the pending items: a little work for PostgreSQL, and only until the queue is empty.
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>A device's nats-server user appears once the platform's account sync has written it: retry until then.</summary>
    private static async Task<IMqttClient> ConnectWhenUserExistsAsync(NatsServer nats, string deviceId, string secret, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", nats.MqttPort)
                .WithClientId($"{deviceId}-{Guid.NewGuid():N}"[..30])
                .WithCredentials(deviceId, secret)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithCleanSession(true)
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build();
            string outcome;
            try
            {
                var result = await client.ConnectAsync(options, cancellationToken);
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    return client;
                }
                outcome = result.ResultCode.ToString();
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                // nats-server may close the connection of a user it does not know yet.
                outcome = e.Message;
            }
            client.Dispose();
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Device {deviceId} could not connect to nats-server: {outcome}. {nats.OutputTail}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
