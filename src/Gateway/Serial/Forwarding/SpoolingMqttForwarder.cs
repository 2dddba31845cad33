using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Telehealth.Gateway.Serial.Forwarding;

/// <summary>
/// Sends the spool to the broker in order, one message at a time with QoS 1, and removes each only after its PUBACK.
/// While the broker is unreachable it reconnects with exponential backoff and the spool grows; nothing is skipped.
/// A refusal the platform has already recorded (not authorised, malformed) is dropped so it cannot block the queue;
/// a quota or unspecified refusal is retried after a pause.
/// </summary>
public sealed partial class SpoolingMqttForwarder(ReadingSpool spool, MqttForwarderOptions options, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private long _published;
    private long _refused;
    private bool _reportedUnreachable;

    /// <summary>Messages acknowledged by the broker and removed from the spool.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker refused for good (dropped from the spool, recorded by the platform).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public bool IsConnected => _client.IsConnected;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = options.ReconnectInitialDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected && !await TryConnectAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(Jitter(delay), time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.ReconnectMaxDelay.Ticks));
                    continue;
                }
                delay = options.ReconnectInitialDelay;
                if (spool.Peek() is not { } entry)
                {
                    // Wake on the next append, or now and then to notice a dropped connection while idle.
                    await spool.WaitForAppendAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await SendAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: MQTTnet may report a cancelled connect as a failed one (MqttConnectingFailedException).
                break;
            }
        }
        await DisconnectQuietlyAsync().ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithCredentials(options.DeviceId, options.Secret)
            .WithProtocolVersion(options.Protocol)
            .WithCleanSession(true)
            .WithTimeout(options.ConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .Build();
        try
        {
            var result = await _client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                _reportedUnreachable = false;
                Log.Connected(logger, options.DeviceId, options.ClientId, spool.PendingCount);
                return true;
            }
            Log.ConnectRefused(logger, options.DeviceId, result.ResultCode.ToString());
            return false;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Once per outage: retries every few seconds for hours would bury everything else in the log.
            if (!_reportedUnreachable)
            {
                Log.BrokerUnreachable(logger, options.DeviceId, exception.GetType().Name, spool.PendingCount);
                _reportedUnreachable = true;
            }
            return false;
        }
    }

    private async Task SendAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(entry.Topic)
            .WithPayload(entry.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        MqttClientPublishResult result;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.PublishTimeout);
            try
            {
                result = await _client.PublishAsync(message, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // No PUBACK: the broker may or may not have it. Reconnect and send it again; the platform
                // treats (device, kind, device time) as one reading, so a repeat is harmless.
                Log.PublishFailed(logger, options.DeviceId, entry.Sequence, exception.GetType().Name);
                await DisconnectQuietlyAsync().ConfigureAwait(false);
                return;
            }
        }
        switch (result.ReasonCode)
        {
            case MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers:
                spool.Acknowledge(entry.Sequence);
                Interlocked.Increment(ref _published);
                Log.Published(logger, options.DeviceId, entry.Sequence, spool.PendingCount);
                break;
            case MqttClientPublishReasonCode.QuotaExceeded
                or MqttClientPublishReasonCode.UnspecifiedError or MqttClientPublishReasonCode.ImplementationSpecificError:
                Log.PublishDeferred(logger, options.DeviceId, entry.Sequence, result.ReasonCode.ToString());
                await Task.Delay(options.ReconnectMaxDelay, time, cancellationToken).ConfigureAwait(false);
                break;
            default:
                Log.PublishRefused(logger, options.DeviceId, entry.Sequence, result.ReasonCode.ToString());
                spool.Acknowledge(entry.Sequence);
                Interlocked.Increment(ref _refused);
                break;
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Already gone; the next connect starts afresh.
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + 0.4 * Random.Shared.NextDouble());

    private static partial class Log
    {
        [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Serial bridge for {DeviceId} connected as {ClientId}; {Pending} message(s) waiting in the spool")]
        public static partial void Connected(ILogger logger, string deviceId, string clientId, int pending);

        [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Broker refused the serial bridge for {DeviceId}: {ResultCode}")]
        public static partial void ConnectRefused(ILogger logger, string deviceId, string resultCode);

        [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Broker unreachable for {DeviceId} ({Error}); readings are kept in the spool ({Pending} now) and sent when it is back")]
        public static partial void BrokerUnreachable(ILogger logger, string deviceId, string error, int pending);

        [LoggerMessage(EventId = 7204, Level = LogLevel.Warning, Message = "No PUBACK for {DeviceId} message {Sequence} ({Error}); it will be sent again after reconnecting")]
        public static partial void PublishFailed(ILogger logger, string deviceId, long sequence, string error);

        [LoggerMessage(EventId = 7205, Level = LogLevel.Debug, Message = "Published {DeviceId} message {Sequence}; {Pending} left in the spool")]
        public static partial void Published(ILogger logger, string deviceId, long sequence, int pending);

        [LoggerMessage(EventId = 7206, Level = LogLevel.Warning, Message = "Broker deferred {DeviceId} message {Sequence}: {ReasonCode}; retrying")]
        public static partial void PublishDeferred(ILogger logger, string deviceId, long sequence, string reasonCode);

        [LoggerMessage(EventId = 7207, Level = LogLevel.Error, Message = "Broker refused {DeviceId} message {Sequence} for good: {ReasonCode}; dropped from the spool (the platform lists it under rejections)")]
        public static partial void PublishRefused(ILogger logger, string deviceId, long sequence, string reasonCode);
    }
}
