using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Telehealth.Gateway.Mqtt.Nats;
using Telehealth.TestSupport;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Telehealth.Bench.Scale;

/// <summary>
/// A broker alone, as the ceiling for the platform in front of it: the same number of device connections as the
/// platform runs publish the same messages at QoS 1 (MQTT 3.1.1, which every candidate broker speaks) with the same
/// number in flight, and one plain subscriber with a persistent session consumes them at QoS 1 (what the platform's
/// ingress is, minus all of its work). The clock runs from the first PUBLISH until the subscriber holds every message.
/// </summary>
public static class BareBrokerBenchmark
{
    private const string Filter = "telehealth/v1/devices/+/readings";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);

    public static Task<BareBrokerResult> RunAsync(string broker, int port, string? username, string? password,
        int devices, int messagesPerDevice, int inFlight, ProcessCpuSampler cpu, CancellationToken cancellationToken) =>
        RunAsync(broker, port, username, password, devices, messagesPerDevice, inFlight, cpu,
            (deliver, token) => MqttSubscriberAsync(port, username, password, deliver, token), cancellationToken);

    /// <summary>
    /// nats-server as the platform uses it: devices publish QoS 1 to its MQTT listener, and the messages are pulled from
    /// the JetStream stream by a durable consumer with explicit acknowledgements, as <c>NatsJetStreamIngress</c> does
    /// (an MQTT subscriber on nats-server 2.9 stalls behind its per-session ack window and redelivery timer, which the
    /// platform never uses).
    /// </summary>
    public static Task<BareBrokerResult> RunNatsJetStreamAsync(NatsServer server, int devices, int messagesPerDevice, int inFlight,
        ProcessCpuSampler cpu, CancellationToken cancellationToken) =>
        RunAsync("nats-server JetStream (MQTT in, JetStream consumer out)", server.MqttPort, NatsServer.ServiceUser, server.ServicePassword,
            devices, messagesPerDevice, inFlight, cpu, (deliver, token) => JetStreamSubscriberAsync(server, deliver, token), cancellationToken);

    private static async Task<BareBrokerResult> RunAsync(string broker, int port, string? username, string? password,
        int devices, int messagesPerDevice, int inFlight, ProcessCpuSampler cpu,
        Func<Action<string, ReadOnlyMemory<byte>>, CancellationToken, Task<IAsyncDisposable>> subscribe, CancellationToken cancellationToken)
    {
        var total = devices * messagesPerDevice;
        var firstSecond = ScalePayload.FirstSecond(messagesPerDevice);
        var seen = new int[total];
        var delivered = 0;
        var duplicates = 0;
        var lastDelivery = Stopwatch.StartNew();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Stopwatch ticks since the clock started, of the latest delivery, and the longest gap so far (set before the clock starts).
        var sinceStart = new Stopwatch();
        long lastTicks = 0;
        long longestGapTicks = 0;

        void Deliver(string topic, ReadOnlyMemory<byte> payload)
        {
            // telehealth/v1/devices/bench-00042/readings (or its JetStream subject): the device index, then the message
            // index from the device time.
            var device = int.Parse(topic.AsSpan(topic.IndexOf("bench-", StringComparison.Ordinal) + 6, 5), CultureInfo.InvariantCulture);
            var message = ScalePayload.BaseTime(payload.ToArray()) - firstSecond;
            if (message >= 0 && message < messagesPerDevice)
            {
                if (Interlocked.Increment(ref seen[device * messagesPerDevice + message]) == 1)
                {
                    if (Interlocked.Increment(ref delivered) == total)
                    {
                        all.TrySetResult();
                    }
                }
                else
                {
                    Interlocked.Increment(ref duplicates);
                }
            }
            lastDelivery.Restart();
            var now = sinceStart.ElapsedTicks;
            var gap = now - Interlocked.Exchange(ref lastTicks, now);
            for (var longest = Interlocked.Read(ref longestGapTicks); gap > longest; longest = Interlocked.Read(ref longestGapTicks))
            {
                if (Interlocked.CompareExchange(ref longestGapTicks, gap, longest) == longest)
                {
                    break;
                }
            }
        }
        await using var subscriber = await subscribe(Deliver, cancellationToken);

        var clients = new IMqttClient[devices];
        for (var i = 0; i < devices; i++)
        {
            clients[i] = new MqttClientFactory().CreateMqttClient();
            await clients[i].ConnectAsync(Options(port, $"bench-{i:D5}-{Guid.NewGuid():N}"[..24], username, password, cleanSession: true), cancellationToken);
        }

        var acknowledged = 0;
        cpu.Start();
        sinceStart.Start();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var deviceId = $"bench-{index:D5}";
            var topic = $"telehealth/v1/devices/{deviceId}/readings";
            using var window = new SemaphoreSlim(inFlight);
            var pending = new List<Task>(messagesPerDevice);
            for (var m = 0; m < messagesPerDevice; m++)
            {
                await window.WaitAsync(cancellationToken);
                var message = new MqttApplicationMessageBuilder().WithTopic(topic)
                    .WithPayload(ScalePayload.Message(deviceId, firstSecond + m, critical: false, m))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                pending.Add(PublishAsync(client, message, window));
            }
            await Task.WhenAll(pending);
        }, cancellationToken)));

        async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim window)
        {
            try
            {
                var result = await client.PublishAsync(message, cancellationToken);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    Interlocked.Increment(ref acknowledged);
                }
            }
            finally
            {
                window.Release();
            }
        }

        while (!all.Task.IsCompleted && lastDelivery.Elapsed < Quiet)
        {
            await Task.WhenAny(all.Task, Task.Delay(200, cancellationToken));
        }
        var elapsed = clock.Elapsed;
        var use = cpu.Stop();

        foreach (var client in clients)
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
        return new BareBrokerResult(broker, devices, total, acknowledged, delivered, duplicates,
            all.Task.IsCompleted ? elapsed : elapsed - Quiet, use, TimeSpan.FromSeconds(Interlocked.Read(ref longestGapTicks) / (double)Stopwatch.Frequency));
    }

    private static async Task<IAsyncDisposable> MqttSubscriberAsync(int port, string? username, string? password,
        Action<string, ReadOnlyMemory<byte>> deliver, CancellationToken cancellationToken)
    {
        var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            deliver(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(port, "bench-subscriber-" + Guid.NewGuid().ToString("N")[..8], username, password, cleanSession: false), cancellationToken);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        return new Subscription(async () =>
        {
            try
            {
                await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
            catch (Exception)
            {
                // Already gone; only the counts matter here.
            }
            subscriber.Dispose();
        });
    }

    private static async Task<IAsyncDisposable> JetStreamSubscriberAsync(NatsServer server, Action<string, ReadOnlyMemory<byte>> deliver, CancellationToken cancellationToken)
    {
        var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = server.Url,
            AuthOpts = NatsAuthOpts.Default with { Username = NatsServer.ServiceUser, Password = server.ServicePassword },
        });
        var jetStream = new NatsJSContext(connection);
        try
        {
            await jetStream.GetStreamAsync(NatsDeviceSubjects.MqttStream, cancellationToken: cancellationToken);
        }
        catch (NatsJSApiException exception) when (exception.Error.Code == 404)
        {
            // As the platform makes it (NatsJetStreamIngress): the consumer must exist before the first publish.
            await jetStream.CreateStreamAsync(new StreamConfig(NatsDeviceSubjects.MqttStream, [NatsDeviceSubjects.MqttStreamSubjects])
            {
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Interest,
                NumReplicas = 1,
            }, cancellationToken);
        }
        var consumer = await jetStream.CreateOrUpdateConsumerAsync(NatsDeviceSubjects.MqttStream, new ConsumerConfig("bench-consumer")
        {
            DurableName = "bench-consumer",
            FilterSubject = NatsDeviceSubjects.AllDevicesInStream,
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = TimeSpan.FromSeconds(30),
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            MaxAckPending = 10_000,
        }, cancellationToken);
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1_000 }, cancellationToken: stop.Token))
                {
                    deliver(message.Subject, message.Data ?? []);
                    await message.AckAsync(cancellationToken: stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped after the count.
            }
        }, CancellationToken.None);
        return new Subscription(async () =>
        {
            await stop.CancelAsync();
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stop.Dispose();
            await connection.DisposeAsync();
        });
    }

    private sealed class Subscription(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }

    private static MqttClientOptions Options(int port, string clientId, string? username, string? password, bool cleanSession)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(cleanSession)
            .WithTimeout(TimeSpan.FromSeconds(60));
        if (username is not null)
        {
            builder.WithCredentials(username, password);
        }
        return builder.Build();
    }
}
