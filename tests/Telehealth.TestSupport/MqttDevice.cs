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

    /// <summary>True while the broker has not closed this device's connection (a takeover would close it).</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Raised when the broker closes the connection, with MQTTnet's reason (e.g. SessionTakenOver).</summary>
    public event Func<MqttClientDisconnectedEventArgs, Task> Disconnected
    {
        add => _client.DisconnectedAsync += value;
        remove => _client.DisconnectedAsync -= value;
    }

    /// <param name="clientId">The MQTT client id; by default the device id plus a random suffix (the documented rule).</param>
    /// <param name="cleanSession">False asks the broker to resume a session with this client id (3.1.1 clean session off, MQTT 5 clean start off).</param>
    /// <param name="sessionExpiry">MQTT 5 session expiry interval: the broker keeps the session this long after the connection ends.</param>
    public static async Task<(MqttDevice? Device, MqttClientConnectResultCode Result)> TryConnectAsync(
        int port, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500,
        string? clientId = null, bool cleanSession = true, TimeSpan? sessionExpiry = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? $"{deviceId}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(version)
            .WithCleanSession(cleanSession)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (sessionExpiry is { } expiry)
        {
            builder = builder.WithSessionExpiryInterval((uint)expiry.TotalSeconds);
        }
        var options = builder.Build();
        // MQTTnet 5 reports a refused connect in the result rather than throwing.
        var result = await client.ConnectAsync(options);
        if (result.ResultCode == MqttClientConnectResultCode.Success)
        {
            return (new MqttDevice(client, deviceId), result.ResultCode);
        }
        client.Dispose();
        return (null, result.ResultCode);
    }

    public static async Task<MqttDevice> ConnectAsync(
        int port, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500,
        string? clientId = null, bool cleanSession = true, TimeSpan? sessionExpiry = null)
    {
        var (device, result) = await TryConnectAsync(port, deviceId, secret, version, clientId, cleanSession, sessionExpiry);
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

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string topicFilter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
        return result.Items.Single().ResultCode;
    }

    /// <summary>A PINGREQ and its PINGRESP: wakes the broker's loop without publishing anything.</summary>
    public async Task PingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _client.PingAsync(timeout.Token);
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
