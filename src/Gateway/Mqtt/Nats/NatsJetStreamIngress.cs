using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Telehealth.Gateway.Ingress;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// NatsJetStream mode: devices publish to nats-server's MQTT 3.1.1 listener, which stores each QoS 1 message in its
/// JetStream stream <c>$MQTT_msgs</c> before the PUBACK. Every platform instance pulls from the same durable consumer
/// on that stream (a work queue: each message goes to one instance), hands each message to
/// <see cref="DeviceMessageHandler"/> exactly as <see cref="ExternalBrokerIngress"/> does, and acknowledges it only
/// after it was stored and queued for evaluation. A store failure returns it (nak) to be offered again; a message
/// held by an instance that died is offered to another instance once <see cref="NatsJetStreamOptions.AckWait"/> has
/// passed without an acknowledgement.
/// </summary>
/// <remarks>
/// The device id comes from the subject. nats-server lets a device user publish only on its own subjects (the
/// authorization file <see cref="NatsAccountSync"/> writes), so the subject's id is the authenticated device's.
/// </remarks>
public sealed partial class NatsJetStreamIngress(
    IOptions<MqttOptions> options,
    DeviceMessageHandler handler,
    ILogger<NatsJetStreamIngress> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstConsumer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile NatsConnection? _connection;
    private volatile bool _consuming;

    /// <summary>Completes once this instance first pulls from the consumer (tests wait on it).</summary>
    public Task Consuming => _firstConsumer.Task;

    /// <summary>True while connected to nats-server with the consumer in place (readiness).</summary>
    public bool IsConsuming => _consuming && _connection is { ConnectionState: NatsConnectionState.Open };

    /// <summary>Messages acknowledged by this instance (stored and queued, or refused for good).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    private long _acknowledged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Nats;
        var natsOptions = NatsOpts.Default with
        {
            Url = settings.Url,
            Name = $"telehealth-ingest-{Environment.ProcessId}",
            AuthOpts = string.IsNullOrEmpty(settings.Username)
                ? NatsAuthOpts.Default
                : NatsAuthOpts.Default with { Username = settings.Username, Password = settings.Password },
            // The first connect is retried like a reconnect, so the platform may start before nats-server.
            RetryOnInitialConnect = true,
        };
        await using var connection = new NatsConnection(natsOptions);
        _connection = connection;
        var jetStream = new NatsJSContext(connection);
        using var inFlight = new SemaphoreSlim(settings.MaxMessagesInFlight, settings.MaxMessagesInFlight);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumer = await EnsureConsumerAsync(jetStream, settings, stoppingToken);
                _consuming = true;
                LogConsuming(logger, settings.ConsumerName, settings.Url);
                _firstConsumer.TrySetResult();
                var consumeOptions = new NatsJSConsumeOpts { MaxMsgs = settings.MaxMessagesInFlight };
                await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: consumeOptions, cancellationToken: stoppingToken))
                {
                    await inFlight.WaitAsync(stoppingToken);
                    Task<DeviceMessageOutcome> handling;
                    if (NatsDeviceSubjects.TryParse(message.Subject, out var deviceId, out var channel))
                    {
                        // Started here, in delivery order, so the ingest queue sees messages in the order they came.
                        handling = handler.HandleAsync(deviceId, channel, message.Data ?? [], stoppingToken);
                    }
                    else
                    {
                        // Outside the device channels (the filter should prevent it): acknowledged so it does not come back forever.
                        handling = Task.FromResult(new DeviceMessageOutcome(0, 0, 0, false));
                    }
                    _ = SettleAsync(message, handling, settings, inFlight, stoppingToken);
                }
                // The consume loop ends when the consumer is deleted or the server stops answering: make it again.
                _consuming = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                _consuming = false;
                LogConsumeFailed(logger, exception, settings.ConsumerName, settings.Url);
            }
            await Task.Delay(settings.ReconnectDelay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
        _consuming = false;
    }

    /// <summary>
    /// Makes the stream (if nats-server's MQTT listener has not made it yet) and the durable consumer. Making the stream
    /// here matters: with interest retention, a QoS 1 message that arrives while no consumer exists is acknowledged
    /// to the device and then dropped, so the consumer must exist before the first device publishes.
    /// </summary>
    private static async Task<INatsJSConsumer> EnsureConsumerAsync(NatsJSContext jetStream, NatsJetStreamOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            await jetStream.GetStreamAsync(NatsDeviceSubjects.MqttStream, cancellationToken: cancellationToken);
        }
        catch (NatsJSApiException exception) when (exception.Error.Code == 404)
        {
            // The same configuration nats-server 2.9 gives it (server/mqtt.go), so its MQTT listener accepts it as its own.
            await jetStream.CreateStreamAsync(new StreamConfig(NatsDeviceSubjects.MqttStream, [NatsDeviceSubjects.MqttStreamSubjects])
            {
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Interest,
                NumReplicas = 1,
            }, cancellationToken);
        }
        return await jetStream.CreateOrUpdateConsumerAsync(NatsDeviceSubjects.MqttStream, new ConsumerConfig(settings.ConsumerName)
        {
            DurableName = settings.ConsumerName,
            FilterSubject = NatsDeviceSubjects.AllDevicesInStream,
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = settings.AckWait,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            MaxAckPending = settings.MaxAckPending,
            MaxDeliver = -1,
        }, cancellationToken);
    }

    private async Task SettleAsync(
        INatsJSMsg<byte[]> message, Task<DeviceMessageOutcome> handling, NatsJetStreamOptions settings, SemaphoreSlim inFlight, CancellationToken stoppingToken)
    {
        try
        {
            DeviceMessageOutcome outcome;
            try
            {
                outcome = await handling;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // shutting down: not acknowledged, so it is offered to another instance after AckWait
            }
            if (outcome.MustRetry || outcome.IsRateLimited)
            {
                // Not stored: offered again (to any instance) after RetryDelay. A rate-limited message too: nats-server
                // has already acknowledged it to the device, which will not send it again, so refusing it would lose a
                // reading; returned to JetStream it waits there until the device is within its rate.
                await message.NakAsync(delay: settings.RetryDelay, cancellationToken: stoppingToken);
                return;
            }
            await message.AckAsync(cancellationToken: stoppingToken);
            Interlocked.Increment(ref _acknowledged);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The connection dropped between storing and acknowledging: it comes again after AckWait and is
            // recognised as a duplicate by the dedupe identity.
            LogAcknowledgeFailed(logger, exception);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            inFlight.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling device messages from JetStream consumer {Consumer} on {Url}")]
    private static partial void LogConsuming(ILogger logger, string consumer, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consuming from JetStream consumer {Consumer} on {Url} failed; retrying")]
    private static partial void LogConsumeFailed(ILogger logger, Exception exception, string consumer, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging a stored message to JetStream failed; it will be redelivered after AckWait")]
    private static partial void LogAcknowledgeFailed(ILogger logger, Exception exception);
}
