using System.Buffers;
using System.Threading.Channels;
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
/// <remarks>
/// MQTTnet delivers one message at a time per connection. Waiting for storage inside that callback would let
/// only one message be stored at a time, so the callback starts the handling and returns; an acknowledger
/// awaits the handlings in arrival order and acknowledges them in that order (MQTT requires in-order PUBACKs),
/// with at most <see cref="ExternalBrokerOptions.MaxMessagesInFlight"/> outstanding.
/// </remarks>
public sealed partial class ExternalBrokerIngress(
    IOptions<MqttOptions> options,
    DeviceMessageHandler handler,
    ILogger<ExternalBrokerIngress> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _reconnectRequested = new(0, 1);
    private int _connectionGeneration;
    private volatile bool _subscribed;

    /// <summary>Completes once the first subscription is in place (tests wait on it).</summary>
    public Task Subscribed => _firstSubscription.Task;

    /// <summary>True while connected with the subscription made on this very connection (readiness).</summary>
    public bool IsSubscribed => _subscribed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.External;
        var inFlight = Channel.CreateBounded<InFlightMessage>(new BoundedChannelOptions(settings.MaxMessagesInFlight)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        var acknowledger = AcknowledgeInOrderAsync(inFlight.Reader, stoppingToken);
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

        // One loop owns connecting, subscribing and disconnecting, and each connection gets a fresh client: connect
        // and disconnect never overlap (MQTTnet refuses a connect "while connect/disconnect is pending" and a reused
        // client could stay wedged there after a store outage under load).
        while (!stoppingToken.IsCancellationRequested)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var generation = Interlocked.Increment(ref _connectionGeneration);
            client.DisconnectedAsync += args =>
            {
                _subscribed = false;
                if (args.ClientWasConnected && !stoppingToken.IsCancellationRequested)
                {
                    // Warning, not Information: production logs keep only warnings, and a gap in ingestion must be
                    // traceable to the connection that carried it.
                    LogDisconnected(logger, settings.Host, settings.Port, generation, args.Reason.ToString());
                }
                disconnected.TrySetResult();
                return Task.CompletedTask;
            };
            while (_reconnectRequested.CurrentCount > 0)
            {
                _reconnectRequested.Wait(0); // a request about a connection that is already gone
            }
            client.ApplicationMessageReceivedAsync += async args =>
            {
                args.AutoAcknowledge = false;
                Task<DeviceMessageOutcome> handling;
                if (DeviceTopics.TryParse(args.ApplicationMessage.Topic, out var deviceId, out var channel))
                {
                    // Copied: the client may reuse its receive buffer once this callback returns.
                    var payload = args.ApplicationMessage.Payload.ToArray();
                    handling = handler.HandleAsync(deviceId, channel, payload, stoppingToken);
                }
                else
                {
                    // Not ours (the broker's ACL should prevent it): acknowledge so it does not come back forever.
                    handling = Task.FromResult(new DeviceMessageOutcome(0, 0, 0, false));
                }
                await inFlight.Writer.WriteAsync(new InFlightMessage(args, handling, generation), stoppingToken);
            };
            try
            {
                var result = await client.ConnectAsync(clientOptions, stoppingToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    LogConnectRefused(logger, settings.Host, settings.Port, result.ResultCode.ToString());
                    await Task.Delay(settings.ReconnectDelay, stoppingToken);
                    continue;
                }
                // Subscribe on every connection, session present or not: mosquitto restores a persistent session
                // after a restart without its shared ($share/...) subscription, and devices would then get PUBACK
                // "no matching subscribers" — a success code — while nothing reaches the platform.
                var subscribe = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build();
                var subscribed = await client.SubscribeAsync(subscribe, stoppingToken);
                var code = subscribed.Items.Single().ResultCode;
                if (code > MqttClientSubscribeResultCode.GrantedQoS2)
                {
                    LogSubscribeRefused(logger, settings.Host, settings.Port, filter, code.ToString());
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
                    await Task.Delay(settings.ReconnectDelay, stoppingToken);
                    continue;
                }
                _subscribed = true;
                LogSubscribed(logger, settings.Host, settings.Port, filter, code.ToString(), result.IsSessionPresent, generation);
                _firstSubscription.TrySetResult();

                // Connected: wait until the connection drops or the acknowledger asks for a reconnect.
                var reconnect = _reconnectRequested.WaitAsync(stoppingToken);
                await Task.WhenAny(disconnected.Task, reconnect);
                _subscribed = false;
                if (client.IsConnected)
                {
                    // Withheld acks come again on the next connection (persistent session).
                    await client.DisconnectAsync(
                        new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(),
                        CancellationToken.None).ContinueWith(_ => { }, CancellationToken.None);
                }
                if (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(settings.ReconnectDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None)
                        .ContinueWith(_ => { }, CancellationToken.None);
                }
                break;
            }
            catch (Exception exception)
            {
                _subscribed = false;
                LogConnectionFailed(logger, exception, settings.Host, settings.Port);
                await Task.Delay(settings.ReconnectDelay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
            finally
            {
                // Messages of this connection still in flight are skipped by generation; the broker redelivers them.
                Interlocked.Increment(ref _connectionGeneration);
                client.Dispose();
            }
        }

        inFlight.Writer.TryComplete();
        await acknowledger.ContinueWith(_ => { }, CancellationToken.None);
    }

    private async Task AcknowledgeInOrderAsync(ChannelReader<InFlightMessage> messages, CancellationToken stoppingToken)
    {
        await foreach (var message in messages.ReadAllAsync(CancellationToken.None))
        {
            DeviceMessageOutcome outcome;
            try
            {
                outcome = await message.Handling;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                continue; // shutting down: not acknowledged, so the broker keeps it for the next session
            }
            if (message.Generation != Volatile.Read(ref _connectionGeneration))
            {
                continue; // received on an earlier connection: the broker redelivers it on this one
            }
            if (outcome.MustRetry)
            {
                // Withhold this and every later ack of this connection, and have the connection loop reconnect: the
                // broker redelivers them. The loop, not this task, disconnects, so connect and disconnect never overlap.
                Interlocked.Increment(ref _connectionGeneration);
                if (_reconnectRequested.CurrentCount == 0)
                {
                    try
                    {
                        _reconnectRequested.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Already requested.
                    }
                }
                continue;
            }
            try
            {
                await message.Args.AcknowledgeAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The connection dropped between storing and acknowledging: the repeat is recognised as a duplicate.
                LogAcknowledgeFailed(logger, exception);
            }
        }
    }

    private sealed record InFlightMessage(MqttApplicationMessageReceivedEventArgs Args, Task<DeviceMessageOutcome> Handling, int Generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} refused the connection: {Reason}")]
    private static partial void LogConnectRefused(ILogger logger, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connected and subscribed to {Filter} on {Host}:{Port}: {Result} (session present: {SessionPresent}, connection {Connection})")]
    private static partial void LogSubscribed(ILogger logger, string host, int port, string filter, string result, bool sessionPresent, int connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection {Connection} to {Host}:{Port} closed: {Reason}; reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string host, int port, int connection, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT broker {Host}:{Port} refused the subscription to {Filter}: {Reason}; reconnecting")]
    private static partial void LogSubscribeRefused(ILogger logger, string host, int port, string filter, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} failed; retrying")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging a stored message failed; the broker will redeliver it")]
    private static partial void LogAcknowledgeFailed(ILogger logger, Exception exception);
}
