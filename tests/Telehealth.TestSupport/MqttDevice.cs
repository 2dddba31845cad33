using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Telehealth.TestSupport;

/// <summary>A device as the platform sees it: a real MQTT client with its own credentials.</summary>
public sealed class MqttDevice : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private Func<Task>? _settle;

    private MqttDevice(IMqttClient client, string deviceId)
    {
        _client = client;
        DeviceId = deviceId;
    }

    public string DeviceId { get; }

    public static async Task<(MqttDevice? Device, MqttClientConnectResultCode Result)> TryConnectAsync(
        int port, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"{deviceId}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        // MQTTnet 5 reports a refused connect in the result rather than throwing.
        var result = await client.ConnectAsync(options);
        if (result.ResultCode == MqttClientConnectResultCode.Success)
        {
            return (new MqttDevice(client, deviceId), result.ResultCode);
        }
        client.Dispose();
        return (null, result.ResultCode);
    }

    public static async Task<MqttDevice> ConnectAsync(int port, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var (device, result) = await TryConnectAsync(port, deviceId, secret, version);
        return device ?? throw new InvalidOperationException($"Device {deviceId} could not connect: {result}");
    }

    /// <summary>
    /// A device of an in-process platform: each publish returns once the platform has also evaluated it and its alert
    /// events were followed (a PUBACK means "stored and due"; see <see cref="TelehealthPlatform.SettledAsync"/>).
    /// </summary>
    public static async Task<MqttDevice> ConnectAsync(TelehealthPlatform platform, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var device = await ConnectAsync(platform.MqttPort, deviceId, secret, version);
        device._settle = () => platform.SettledAsync();
        return device;
    }

    public Task<MqttClientPublishResult> PublishReadingsAsync(string senml) => PublishAsync($"telehealth/v1/devices/{DeviceId}/readings", senml);

    public Task<MqttClientPublishResult> PublishEventAsync(string json) => PublishAsync($"telehealth/v1/devices/{DeviceId}/events", json);

    public Task<MqttClientPublishResult> PublishStatusAsync(string json) => PublishAsync($"telehealth/v1/devices/{DeviceId}/status", json);

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload) => PublishAsync(topic, Encoding.UTF8.GetBytes(payload));

    public async Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await _client.PublishAsync(message, timeout.Token);
        if (_settle is not null)
        {
            await _settle();
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
