using System.Buffers;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Devices;
using Telehealth.Gateway.Ingress;

namespace Telehealth.Gateway.Mqtt;

/// <summary>
/// MQTTnet's broker inside the platform process (the embedded default). It is the device edge: it authenticates
/// each device by its own secret, lets it publish only under its own id, and hands each message to
/// <see cref="DeviceMessageHandler"/> before acknowledging it, so a PUBACK means the data is stored.
/// </summary>
public sealed partial class EmbeddedMqttBroker(
    IOptions<MqttOptions> options,
    IDeviceRegistry registry,
    DeviceMessageHandler handler,
    TimeProvider timeProvider,
    ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private const string DeviceIdSessionKey = "telehealth.deviceId";
    private MqttServer? _server;

    /// <summary>The port actually listened on (useful when configured as 0 in tests).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Embedded;
        var bindAddress = IPAddress.Parse(settings.BindAddress);
        var port = settings.Port == 0 ? FindFreePort(bindAddress) : settings.Port;
        var builder = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient);
        builder = bindAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? builder.WithDefaultEndpointBoundIPV6Address(bindAddress).WithDefaultEndpointBoundIPAddress(IPAddress.None)
            : builder.WithDefaultEndpointBoundIPAddress(bindAddress).WithDefaultEndpointBoundIPV6Address(IPAddress.None);

        var server = new MqttServerFactory().CreateMqttServer(builder.Build());
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        await server.StartAsync();
        _server = server;
        Port = port;
        LogStarted(logger, settings.BindAddress, port);
    }

    // The web host can stop hosted services twice at once in tests (dotnet/aspnetcore#40271), and MQTTnet's
    // stop is not safe to run concurrently: serialise stop and dispose.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            if (_server is { IsStarted: true } server)
            {
                await server.StopAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            if (_server is { } server)
            {
                _server = null;
                await server.StopAsync();
                server.Dispose();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        var deviceId = args.UserName;
        var secret = args.Password;
        if (string.IsNullOrEmpty(deviceId) || string.IsNullOrEmpty(secret))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            await handler.RejectAsync(Rejected(deviceId, RejectionReasons.BadCredentials, "Connection without a device id and secret."), CancellationToken.None);
            return;
        }

        var device = await registry.AuthenticateAsync(deviceId, secret);
        if (device is null)
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            var known = await registry.GetAsync(deviceId) is not null;
            await handler.RejectAsync(
                Rejected(deviceId, known ? RejectionReasons.BadCredentials : RejectionReasons.UnknownDevice,
                    known ? "Wrong secret for this device." : "No registered device has this id."),
                CancellationToken.None);
            return;
        }

        // A client may leave its id empty; MQTTnet honours an assigned id only under MQTT 5 (3.1.1 clients without
        // an id are refused as 'identifier rejected', which docs/device-api.md tells device makers to avoid with -i).
        if (string.IsNullOrEmpty(args.ClientId))
        {
            args.AssignedClientIdentifier = $"{device.DeviceId}-{Guid.NewGuid():N}"[..32];
        }
        args.SessionItems[DeviceIdSessionKey] = device.DeviceId;
        args.ReasonCode = MqttConnectReasonCode.Success;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        // The broker is the ingest point, not a relay: nothing is forwarded or retained.
        args.ProcessPublish = false;
        var authenticatedId = args.SessionItems[DeviceIdSessionKey] as string;
        var topic = args.ApplicationMessage.Topic;
        if (!DeviceTopics.TryParse(topic, out var topicDeviceId, out var channel))
        {
            args.Response.ReasonCode = MqttPubAckReasonCode.TopicNameInvalid;
            args.Response.ReasonString = "Unknown topic: use telehealth/v1/devices/{deviceId}/readings|events|status.";
            await handler.RejectAsync(Rejected(authenticatedId, RejectionReasons.UnknownTopic, "Publish to a topic outside device API v1.", "mqtt:publish"), args.CancellationToken);
            return;
        }
        if (!string.Equals(topicDeviceId, authenticatedId, StringComparison.Ordinal))
        {
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            args.Response.ReasonString = "A device may publish only under its own device id.";
            await handler.RejectAsync(Rejected(authenticatedId, RejectionReasons.NotAuthorized, "Publish under another device's id.", "mqtt:publish"), args.CancellationToken);
            return;
        }

        var payload = args.ApplicationMessage.Payload;
        var outcome = await handler.HandleAsync(topicDeviceId, channel, payload.IsSingleSegment ? payload.First : payload.ToArray(), args.CancellationToken);
        if (outcome.MustRetry)
        {
            // MQTT 5 publishers see the failure and retry; our own handler has already logged the cause.
            args.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            args.Response.ReasonString = "Not stored; publish again.";
            args.CloseConnection = true;
        }
        else if (outcome.Accepted == 0 && outcome.Duplicates == 0 && outcome.Rejected > 0)
        {
            args.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            args.Response.ReasonString = "Nothing in this message was accepted; see the rejections list.";
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        // Devices may listen only under their own id (room for commands later); nobody reads other devices' data.
        var deviceId = args.SessionItems[DeviceIdSessionKey] as string;
        var ownPrefix = deviceId is null ? null : DeviceTopics.Prefix + deviceId + "/";
        if (ownPrefix is null || !args.TopicFilter.Topic.StartsWith(ownPrefix, StringComparison.Ordinal))
        {
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            args.ProcessSubscription = false;
        }
        return Task.CompletedTask;
    }

    private Rejection Rejected(string? deviceId, string reason, string detail, string source = "mqtt:connect") =>
        new(timeProvider.GetUtcNow(), deviceId, source, reason, detail);

    private static int FindFreePort(IPAddress address)
    {
        using var listener = new System.Net.Sockets.TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);
}
