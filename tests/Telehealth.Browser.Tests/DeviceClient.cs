using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Contracts.Devices;

namespace Telehealth.Browser.Tests;

/// <summary>A home device on the MQTT device API, signed in with its own id and secret.</summary>
public sealed class DeviceClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _deviceId;

    private DeviceClient(IMqttClient client, string deviceId)
    {
        _client = client;
        _deviceId = deviceId;
    }

    public static async Task<DeviceClient> ConnectAsync(int port, string deviceId, string secret)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithCredentials(deviceId, secret)
            .WithClientId(deviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build();
        // MQTTnet 5 reports a refused connect in the result instead of throwing.
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"Device {deviceId} could not connect: {result.ResultCode} {result.ReasonString}");
        }
        return new DeviceClient(client, deviceId);
    }

    /// <summary>Publishes SenML at QoS 1; the broker's PUBACK comes after the reading was stored and evaluated.</summary>
    public Task PublishReadingsAsync(string senml) => PublishAsync(DeviceTopics.Readings(_deviceId), senml);

    public Task PublishEventAsync(string json) => PublishAsync(DeviceTopics.Events(_deviceId), json);

    private async Task PublishAsync(string topic, string payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Publish to {topic} refused: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
