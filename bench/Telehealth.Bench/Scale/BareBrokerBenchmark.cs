using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using MQTTnet;
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

    public static async Task<BareBrokerResult> RunAsync(string broker, int port, string? username, string? password,
        int devices, int messagesPerDevice, int inFlight, ProcessCpuSampler cpu, CancellationToken cancellationToken)
    {
        var total = devices * messagesPerDevice;
        var firstSecond = ScalePayload.FirstSecond(messagesPerDevice);
        var seen = new int[total];
        var delivered = 0;
        var duplicates = 0;
        var lastDelivery = Stopwatch.StartNew();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            // telehealth/v1/devices/bench-0042/readings: the device index, then the message index from the device time.
            var topic = e.ApplicationMessage.Topic;
            var device = int.Parse(topic.AsSpan(topic.IndexOf("bench-", StringComparison.Ordinal) + 6, 5), CultureInfo.InvariantCulture);
            var message = ScalePayload.BaseTime(e.ApplicationMessage.Payload.ToArray()) - firstSecond;
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
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(port, "bench-subscriber-" + Guid.NewGuid().ToString("N")[..8], username, password, cleanSession: false), cancellationToken);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

        var clients = new IMqttClient[devices];
        for (var i = 0; i < devices; i++)
        {
            clients[i] = new MqttClientFactory().CreateMqttClient();
            await clients[i].ConnectAsync(Options(port, $"bench-{i:D5}-{Guid.NewGuid():N}"[..24], username, password, cleanSession: true), cancellationToken);
        }

        var acknowledged = 0;
        cpu.Start();
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

        foreach (var client in clients.Append(subscriber))
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
            all.Task.IsCompleted ? elapsed : elapsed - Quiet, use);
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
