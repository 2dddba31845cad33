using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>
/// Does a broker keep what it acknowledged when it is SIGKILLed? A publisher sends QoS 1 readings (MQTT 3.1.1, the
/// version all candidates speak) with up to <c>inFlight</c> unacknowledged; when half of them have a PUBACK the
/// broker's process tree is SIGKILLed. Before the run the subscriber's session is made and the broker restarted
/// cleanly, so the session itself is on disk (as in a broker that has run for a while). The broker is started again on the same data; a persistent-session subscriber
/// (clean session false, QoS 1: what the platform's ingress is) drains it. Every PUBACKed reading the subscriber
/// never gets is lost. Two scenarios: the subscriber offline while publishing (everything sits in the broker's
/// queue), and online (the broker holds only what is in transit).
/// </summary>
internal static class BrokerCrashBenchmark
{
    private const string Topic = "telehealth/v1/devices/bench-dev/readings";
    private const string Filter = "telehealth/v1/devices/+/readings";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan QuietAfterRecovery = TimeSpan.FromSeconds(10);

    /// <param name="freshSession">
    /// True: skip the clean restart, so the subscriber's session (RabbitMQ: its durable queue) is made moments before
    /// the kill: does the broker keep a session it has just acknowledged (CONNACK/SUBACK)?
    /// </param>
    public static async Task<BrokerCrashResult> RunAsync(
        Func<CrashableBroker> create, bool subscriberOnline, int readings, int inFlight, CancellationToken cancellationToken, bool freshSession = false)
    {
        await using var broker = create();
        await broker.StartAsync(StartTimeout);
        var received = new Dictionary<int, int>();
        var lastReceivedAt = Stopwatch.StartNew();
        var clientId = "bench-platform-" + Guid.NewGuid().ToString("N")[..6];

        // The session (and, on RabbitMQ, the durable queue) must exist before the first reading is published.
        var subscriber = await ConnectSubscriberAsync(broker.MqttPort, clientId, received, lastReceivedAt, cancellationToken);
        if (!freshSession)
        {
            await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
            subscriber.Dispose();
            // As in production, the platform's session has long been on disk before the readings in question arrive.
            await broker.RestartCleanlyAsync(StartTimeout);
            subscriber = await ConnectSubscriberAsync(broker.MqttPort, clientId, received, lastReceivedAt, cancellationToken);
        }
        if (!subscriberOnline)
        {
            await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
        }

        var acknowledged = new HashSet<int>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId("bench-device-" + Guid.NewGuid().ToString("N")[..6])
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build(), cancellationToken);
        var clock = Stopwatch.StartNew();
        var ackedAtKill = TimeSpan.Zero;
        using var window = new SemaphoreSlim(inFlight);
        var publishes = new List<Task>();
        var sent = 0;
        for (var id = 0; id < readings && !killed.Task.IsCompleted; id++)
        {
            await window.WaitAsync(cancellationToken);
            if (killed.Task.IsCompleted)
            {
                break;
            }
            sent++;
            var reading = id;
            publishes.Add(Task.Run(async () =>
            {
                try
                {
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic(Topic)
                        .WithPayload(Payload(reading))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    var result = await publisher.PublishAsync(message, cancellationToken);
                    if (result.IsSuccess)
                    {
                        bool killNow;
                        lock (acknowledged)
                        {
                            acknowledged.Add(reading);
                            killNow = acknowledged.Count == readings / 2;
                        }
                        if (killNow)
                        {
                            ackedAtKill = clock.Elapsed;
                            await broker.KillAsync();
                            killed.TrySetResult();
                        }
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The broker died with this reading unacknowledged: a device would send it again later.
                }
                finally
                {
                    window.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(publishes);
        if (!killed.Task.IsCompleted)
        {
            throw new InvalidOperationException($"{broker.Name}: only {acknowledged.Count} of {readings} acknowledged; the kill point was never reached.");
        }
        publisher.Dispose();
        subscriber.Dispose();
        int ackedCount;
        lock (acknowledged)
        {
            ackedCount = acknowledged.Count;
        }

        // Recover: same data folder, same port; the subscriber comes back on its persistent session.
        var recovery = Stopwatch.StartNew();
        await broker.StartAsync(StartTimeout);
        subscriber = await ConnectSubscriberAsync(broker.MqttPort, clientId, received, lastReceivedAt, cancellationToken);
        while (true)
        {
            int missing;
            lock (received)
            {
                missing = acknowledged.Count(id => !received.ContainsKey(id));
            }
            if (missing == 0 || lastReceivedAt.Elapsed > QuietAfterRecovery)
            {
                break;
            }
            await Task.Delay(200, cancellationToken);
        }
        var recoverySeconds = recovery.Elapsed.TotalSeconds;
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ContinueWith(_ => { }, CancellationToken.None);
        subscriber.Dispose();
        lock (received)
        {
            var lost = acknowledged.Count(id => !received.ContainsKey(id));
            var duplicates = received.Values.Sum(c => c - 1);
            var scenario = (subscriberOnline ? "subscriber online" : "subscriber offline") + (freshSession ? ", session made just before" : "");
            return new BrokerCrashResult(broker.Name, scenario,
                sent, ackedCount, received.Count, lost, duplicates, ackedCount / Math.Max(ackedAtKill.TotalSeconds, 1e-3), recoverySeconds);
        }
    }

    public static string Row(BrokerCrashResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Broker} | {r.Scenario} | {r.Sent} | {r.Acknowledged} | {r.Stored} | **{r.Lost}** | {r.Duplicates} | {r.AckedPerSecond:0} | {r.RecoverySeconds:0.0} |");

    public const string Header = """
        | Broker (configuration) | Scenario | Published before kill | PUBACKed | Received after recovery (distinct) | Acknowledged but lost | Duplicates | PUBACKs/s before kill | Recovery, s (restart + drain) |
        |---|---|---|---|---|---|---|---|---|
        """;

    private static byte[] Payload(int id)
    {
        // About the size of a small SenML reading message (~200 bytes); the id is what is counted.
        var text = $$"""{"id":{{id.ToString(CultureInfo.InvariantCulture)}},"senml":[{"n":"spo2","u":"%","v":97,"t":0},{"n":"heart_rate","u":"/min","v":72,"t":0}],"pad":"{{new string('x', 100)}}"}""";
        return Encoding.UTF8.GetBytes(text);
    }

    private static async Task<IMqttClient> ConnectSubscriberAsync(
        int port, string clientId, Dictionary<int, int> received, Stopwatch lastReceivedAt, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            // Stands in for the platform: the reading is "stored" when recorded here, and acknowledged after that.
            var json = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
            var start = json.IndexOf("\"id\":", StringComparison.Ordinal) + 5;
            var end = json.IndexOf(',', start);
            var id = int.Parse(json.AsSpan(start, end - start), CultureInfo.InvariantCulture);
            lock (received)
            {
                received[id] = received.GetValueOrDefault(id) + 1;
                lastReceivedAt.Restart();
            }
            return Task.CompletedTask;
        };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithClientId(clientId)
                .WithCleanSession(false)
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build(), cancellationToken);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                break;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Subscriber could not connect: {result.ResultCode}");
            }
            await Task.Delay(500, cancellationToken);
        }
        // Subscribe on every connection, as the platform does (a restored session is not trusted).
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build(), cancellationToken);
        return client;
    }
}
