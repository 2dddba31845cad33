using System.Buffers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Contracts.Devices;
using Telehealth.Gateway.Ingress;

namespace Telehealth.Gateway.Mqtt;

/// <summary>
/// Scaled mode: the platform subscribes to an external MQTT 5 broker (mosquitto) that authenticates the devices
/// and enforces the per-device topic ACL. Messages are acknowledged only after <see cref="DeviceMessageHandler"/>
/// has stored them; with a persistent session (clean start off) unacknowledged QoS 1 messages come again after a
/// reconnect, so nothing is lost when this process stops mid-flight.
/// </summary>
public sealed partial class ExternalBrokerIngress(
    IOptions<MqttOptions> options,
    DeviceMessageHandler handler,
    ILogger<ExternalBrokerIngress> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first subscription is in place (tests and health checks wait on it).</summary>
    public Task Subscribed => _firstSubscription.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.External;
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async args =>
        {
            args.AutoAcknowledge = false;
            var topic = args.ApplicationMessage.Topic;
            if (!DeviceTopics.TryParse(topic, out var deviceId, out var channel))
            {
                // Not ours (the ACL should prevent it): acknowledge so it does not come back forever.
                await args.AcknowledgeAsync(stoppingToken);
                return;
            }
            var payload = args.ApplicationMessage.Payload;
            var outcome = await handler.HandleAsync(deviceId, channel, payload.IsSingleSegment ? payload.First : payload.ToArray(), stoppingToken);
            if (!outcome.MustRetry)
            {
                await args.AcknowledgeAsync(stoppingToken);
            }
            else
            {
                // Withhold the ack and drop the connection: the broker redelivers on reconnect.
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(), CancellationToken.None);
            }
        };

        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(settings.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(7 * 24 * 3600)
            .WithCredentials(settings.Username, settings.Password)
            .Build();
        var filter = string.IsNullOrWhiteSpace(settings.SharedSubscriptionGroup)
            ? DeviceTopics.AllDevicesFilter
            : $"$share/{settings.SharedSubscriptionGroup}/{DeviceTopics.AllDevicesFilter}";

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    var result = await client.ConnectAsync(clientOptions, stoppingToken);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        LogConnectRefused(logger, settings.Host, settings.Port, result.ResultCode.ToString());
                        await Task.Delay(settings.ReconnectDelay, stoppingToken);
                        continue;
                    }
                    if (!result.IsSessionPresent || !_firstSubscription.Task.IsCompleted)
                    {
                        var subscribe = new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                            .Build();
                        await client.SubscribeAsync(subscribe, stoppingToken);
                    }
                    LogSubscribed(logger, settings.Host, settings.Port, filter);
                    _firstSubscription.TrySetResult();
                }
                await Task.Delay(settings.ReconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogConnectionFailed(logger, exception, settings.Host, settings.Port);
                await Task.Delay(settings.ReconnectDelay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} refused the connection: {Reason}")]
    private static partial void LogConnectRefused(ILogger logger, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to {Filter} on {Host}:{Port}")]
    private static partial void LogSubscribed(ILogger logger, string host, int port, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} failed; retrying")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string host, int port);
}
