using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>
/// Does a broker fit the platform's <c>ExternalBrokerIngress</c>? It connects with MQTT 5 and subscribes to
/// <c>$share/telehealth-ingest/telehealth/v1/devices/+/+</c>. Checked here: an MQTT 5 CONNECT, and whether a
/// <c>$share/…</c> filter (over 3.1.1 when 5 is refused) delivers a published message.
/// </summary>
internal static class BrokerFitCheck
{
    public static async Task<string> RunAsync(Func<CrashableBroker> create, CancellationToken cancellationToken)
    {
        await using var broker = create();
        await broker.StartAsync(TimeSpan.FromSeconds(90));
        var v5 = new MqttClientFactory().CreateMqttClient();
        string mqtt5;
        try
        {
            var result = await v5.ConnectAsync(Options(broker, MqttProtocolVersion.V500, "fit-v5"), cancellationToken);
            mqtt5 = result.ResultCode == MqttClientConnectResultCode.Success ? "accepted" : $"refused ({result.ResultCode})";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            mqtt5 = $"refused ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})";
        }
        var version = mqtt5 == "accepted" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        if (v5.IsConnected)
        {
            await v5.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
        }
        v5.Dispose();

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            got.TrySetResult(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        string shared;
        try
        {
            await subscriber.ConnectAsync(Options(broker, version, "fit-sub"), cancellationToken);
            var subscribed = await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic("$share/telehealth-ingest/telehealth/v1/devices/+/+").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), cancellationToken);
            var code = subscribed.Items.Single().ResultCode;
            using var publisher = new MqttClientFactory().CreateMqttClient();
            await publisher.ConnectAsync(Options(broker, version, "fit-pub"), cancellationToken);
            var published = await publisher.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic("telehealth/v1/devices/dev-1/readings").WithPayload(Encoding.UTF8.GetBytes("[]"))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            var delivered = await Task.WhenAny(got.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) == got.Task;
            shared = $"SUBACK {code}, PUBACK {published.ReasonCode}, delivered to the $share subscriber: {(delivered ? "yes" : "no")}";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            shared = $"failed ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})";
        }
        return $"| {broker.Name} | MQTT 5 CONNECT {mqtt5} | $share over MQTT {(version == MqttProtocolVersion.V500 ? "5" : "3.1.1")}: {shared} |";
    }

    private static MqttClientOptions Options(CrashableBroker broker, MqttProtocolVersion version, string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.MqttPort)
            .WithProtocolVersion(version)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(15))
            .Build();
}
