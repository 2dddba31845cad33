using System.Security.Cryptography;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Transports.Mqtt;

/// <summary>
/// A device's MQTTnet 5 client. MQTTnet 5 has no managed client and reports a refused CONNECT through
/// <see cref="MqttClientConnectResult.ResultCode"/> rather than an exception, so both are turned into outcomes here
/// and the reconnect loop lives in the device session.
/// </summary>
internal sealed class MqttDeviceTransport : IDeviceTransport
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;

    public MqttDeviceTransport(SimulatedDevice device, SimulationOptions options)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        // A random suffix keeps two runs of the same device from taking over each other's session.
        var clientId = $"{device.DeviceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        _clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.BrokerHost, options.BrokerPort)
            .WithClientId(clientId)
            .WithCredentials(device.DeviceId, device.Secret)
            .WithProtocolVersion(options.Protocol == MqttProtocolLevel.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .WithTimeout(options.ConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .Build();
    }

    public bool IsConnected => _client.IsConnected;

    public async Task<ConnectOutcome> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
            return result.ResultCode == MqttClientConnectResultCode.Success ? ConnectOutcome.Connected : ConnectOutcome.Refused;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Socket refused or reset, handshake timeout: MQTTnet throws for everything below the CONNACK.
            return ConnectOutcome.Unreachable;
        }
    }

    public async Task<PublishOutcome> PublishAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return PublishOutcome.NotConnected;
        }
        var applicationMessage = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload.ToArray())
            .WithQualityOfServiceLevel(message.AtLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        try
        {
            var result = await _client.PublishAsync(applicationMessage, cancellationToken).ConfigureAwait(false);
            return result.IsSuccess ? PublishOutcome.Delivered : PublishOutcome.Rejected;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection dropped before the PUBACK: the broker may or may not have it, so it is sent again;
            // the platform treats (device, kind, device time) as one reading.
            return PublishOutcome.NotConnected;
        }
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Already gone: nothing left to close politely.
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
