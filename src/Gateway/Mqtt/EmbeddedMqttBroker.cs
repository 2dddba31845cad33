using Telehealth.Contracts.Diagnostics;
using System.Buffers;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Diagnostics;
using Telehealth.Gateway.Ingress;
using Telehealth.Gateway.Mqtt.Edge;
using Telehealth.Gateway.Mqtt.Sessions;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway.Mqtt;

/// <summary>
/// MQTTnet's broker inside the platform process (the embedded default). It is the device edge: it authenticates
/// each device by its own secret, binds the connection's client id to that device, lets it publish only under its
/// own id, and hands each message to <see cref="DeviceMessageHandler"/> before acknowledging it, so a PUBACK means
/// the data is stored. Sockets come through <see cref="GuardedTcpServerAdapter"/>, which bounds packet sizes, the
/// time to CONNECT and connections per source before any credentials are looked at.
/// </summary>
public sealed partial class EmbeddedMqttBroker(
    IOptions<MqttOptions> options,
    IDeviceRegistry registry,
    DeviceAccessChanges accessChanges,
    DeviceMessageHandler handler,
    GatewayMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private const string DeviceIdSessionKey = "telehealth.deviceId";
    private const string ProtocolSessionKey = "telehealth.protocol";
    private const string ConnectSource = "mqtt:connect";
    private readonly EmbeddedBrokerOptions _settings = options.Value.Embedded;
    private readonly DeviceSessionTable _sessions = new(options.Value.Embedded.MaxSessionsPerDevice);
    private readonly EdgeRefusalReporter _refusals = new(
        handler, metrics, new RefusalAggregator(timeProvider, options.Value.Embedded.RefusalReportWindow), timeProvider);
    private MqttServer? _server;
    private GuardedTcpServerAdapter? _listener;

    /// <summary>The port actually listened on (useful when configured as 0 in tests).</summary>
    public int Port { get; private set; }

    /// <summary>Client ids the device holds on open connections (at most <see cref="EmbeddedBrokerOptions.MaxSessionsPerDevice"/>).</summary>
    public int SessionsOf(string deviceId) => _sessions.CountFor(deviceId);

    /// <summary>Open TCP connections, authenticated or not.</summary>
    public int OpenConnections => _listener?.OpenConnections ?? 0;

    /// <summary>Open connections that have not authenticated yet, each with its connect deadline armed (walks all connections).</summary>
    public int AwaitingConnect => _listener?.AwaitingConnect ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bindAddress = IPAddress.Parse(_settings.BindAddress);
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithMaxPendingMessagesPerClient(_settings.MaxPendingMessagesPerClient)
            // MQTTnet waits this long for the first packet and for a close; its default (100 s) held silent sockets.
            // A second longer than the edge's own connect deadline, so the edge closes first and says why.
            .WithDefaultCommunicationTimeout(_settings.ConnectTimeout + TimeSpan.FromSeconds(1))
            .Build();
        var limiter = new SourceConnectionLimiter(timeProvider, _settings.MaxConnectionsPerSource,
            _settings.ConnectAttemptsPerSecondPerSource, _settings.ConnectAttemptBurstPerSource, _settings.MaxConnections);
        var listener = new GuardedTcpServerAdapter(new IPEndPoint(bindAddress, _settings.Port), _settings, limiter, timeProvider,
            OnSourceRefused, OnConnectionClosedAsync, logger);

        var server = new MqttServerFactory().CreateMqttServer(serverOptions, [listener]);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.ClientConnectedAsync += OnClientConnectedAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        await server.StartAsync();
        _server = server;
        _listener = listener;
        accessChanges.Changed += OnAccessChanged;
        Port = listener.Port;
        LogStarted(logger, _settings.BindAddress, Port);
    }

    // The web host can stop hosted services twice at once in tests (dotnet/aspnetcore#40271), and MQTTnet's
    // stop is not safe to run concurrently: serialise stop and dispose.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        accessChanges.Changed -= OnAccessChanged;
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
        var remote = args.RemoteEndPoint as IPEndPoint;
        // The username is whatever the client sent: cut and escaped before it is logged or listed anywhere.
        var claimedId = args.UserName is null ? null : UntrustedText.Clip(args.UserName);
        var secret = args.Password;
        if (string.IsNullOrEmpty(args.UserName) || string.IsNullOrEmpty(secret))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            await RefuseAsync(null, remote, RejectionReasons.BadCredentials, "Connection without a device id and secret.");
            return;
        }

        var device = args.UserName.Length > 64 ? null : await registry.AuthenticateAsync(args.UserName, secret);
        if (device is null)
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            var known = args.UserName.Length <= 64 ? await registry.GetAsync(args.UserName) : null;
            var (reason, detail) = known switch
            {
                null => (RejectionReasons.UnknownDevice, "No registered device has this id."),
                { IsRevoked: true } => (RejectionReasons.DeviceRevoked, "This device was revoked."),
                _ => (RejectionReasons.BadCredentials, "Wrong secret for this device."),
            };
            await RefuseAsync(claimedId, known is null ? remote : null, reason, detail);
            return;
        }

        if (_listener is null || !_listener.TryGetConnection(args.ChannelAdapter, out var connection))
        {
            // Every socket comes through our listener; anything else is refused rather than trusted.
            args.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            return;
        }

        // Sessions are keyed by client id, so the id must be the device's own: then no device can resume, take over
        // or disconnect another's session. An MQTT 5 client without an id is given one in its device's namespace.
        var clientId = args.ClientId;
        if (string.IsNullOrEmpty(clientId) && args.ProtocolVersion == MqttProtocolVersion.V500)
        {
            clientId = DeviceClientIds.Assign(device.DeviceId);
            args.AssignedClientIdentifier = clientId;
        }
        if (!DeviceClientIds.BelongsTo(clientId, device.DeviceId))
        {
            args.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            args.ReasonString = $"Client id must be the device id or '{device.DeviceId}-' plus up to {DeviceClientIds.MaxSuffixLength} of A-Z a-z 0-9 _ -.";
            await RefuseAsync(device.DeviceId, null, RejectionReasons.ClientIdNotBound,
                string.IsNullOrEmpty(clientId)
                    ? "Connect without a client id under MQTT 3.1.1; use the device id plus a suffix."
                    : $"Client id '{UntrustedText.Clip(clientId)}' does not belong to this device.");
            return;
        }

        if (_sessions.TryBind(device.DeviceId, clientId, connection) == SessionBindResult.TooManySessions)
        {
            // MQTT 3.1.1 has no "quota exceeded" and MQTTnet would map it to "unacceptable protocol version", which
            // would send a device maker down the wrong path: "server unavailable" (3) is the nearest true answer.
            args.ReasonCode = args.ProtocolVersion == MqttProtocolVersion.V500
                ? MqttConnectReasonCode.QuotaExceeded
                : MqttConnectReasonCode.ServerUnavailable;
            args.ReasonString = $"This device already holds {_settings.MaxSessionsPerDevice} connections.";
            await RefuseAsync(device.DeviceId, null, RejectionReasons.TooManySessions,
                $"More than {_settings.MaxSessionsPerDevice} connections at once for this device.");
            return;
        }

        connection.Authenticated(device.DeviceId, clientId, _settings.MaxPacketBytes);
        args.SessionItems[DeviceIdSessionKey] = device.DeviceId;
        args.SessionItems[ProtocolSessionKey] = args.ProtocolVersion;
        args.ReasonCode = MqttConnectReasonCode.Success;
    }

    private Task OnClientConnectedAsync(ClientConnectedEventArgs args)
    {
        // A resumed session keeps the items of its previous connection: write this connection's identity over them,
        // so nothing read from the session later can be an earlier owner's.
        args.SessionItems[DeviceIdSessionKey] = args.UserName;
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        // The broker is the ingest point, not a relay: nothing is forwarded or retained.
        args.ProcessPublish = false;
        // The identity authenticated on this connection (MQTTnet passes this connection's CONNECT username), checked
        // against the session and the client id as defense in depth.
        var authenticatedId = AuthenticatedDevice(args.UserName, args.ClientId, args.SessionItems);
        var topic = args.ApplicationMessage.Topic;
        if (authenticatedId is null)
        {
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            args.CloseConnection = true;
            await handler.RejectAsync(Rejected(null, RejectionReasons.NotAuthorized, "Publish on a connection whose identity does not match its session.", "mqtt:publish"), args.CancellationToken);
            return;
        }
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
        if (outcome.IsRateLimited)
        {
            args.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            args.Response.ReasonString = "Over this device's message rate; not stored, publish again later.";
            // MQTT 3.1.1 has no PUBACK reason: a PUBACK would read as "stored". Close instead, so the device keeps the
            // message and sends it again after reconnecting (as for a store failure).
            args.CloseConnection = args.SessionItems[ProtocolSessionKey] is not MqttProtocolVersion.V500;
        }
        else if (outcome.MustRetry)
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

    /// <summary>
    /// A revoked device, or one whose secret was rotated, loses its live connections at once: the credentials they
    /// were opened with no longer hold. Runs on the caller of the registry change; the disconnects finish in the background.
    /// </summary>
    private void OnAccessChanged(string deviceId, DeviceAccessChange change)
    {
        if (change is DeviceAccessChange.Revoked or DeviceAccessChange.SecretRotated && _server is { } server)
        {
            _ = DisconnectDeviceAsync(server, deviceId, change);
        }
    }

    private async Task DisconnectDeviceAsync(MqttServer server, string deviceId, DeviceAccessChange change)
    {
        foreach (var clientId in _sessions.ClientIdsOf(deviceId))
        {
            try
            {
                await server.DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions
                {
                    ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                    ReasonString = change == DeviceAccessChange.Revoked ? "Device revoked." : "Device secret rotated; connect with the new one.",
                });
                LogDisconnected(logger, deviceId, change);
            }
            catch (Exception exception)
            {
                LogDisconnectFailed(logger, exception, deviceId);
            }
        }
    }

    private async Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        // Devices may listen only under their own id (room for commands later); nobody reads other devices' data.
        var deviceId = AuthenticatedDevice(args.UserName, args.ClientId, args.SessionItems);
        var ownPrefix = deviceId is null ? null : DeviceTopics.Prefix + deviceId + "/";
        if (ownPrefix is null || !args.TopicFilter.Topic.StartsWith(ownPrefix, StringComparison.Ordinal))
        {
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            args.ProcessSubscription = false;
            await handler.RejectAsync(Rejected(deviceId, RejectionReasons.NotAuthorized,
                $"Subscription to '{UntrustedText.Clip(args.TopicFilter.Topic)}' outside the device's own topics.", "mqtt:subscribe"), args.CancellationToken);
        }
    }

    /// <summary>The device this connection authenticated as, or null when its session or client id say otherwise.</summary>
    private static string? AuthenticatedDevice(string? userName, string? clientId, System.Collections.IDictionary sessionItems)
    {
        if (string.IsNullOrEmpty(userName)
            || !string.Equals(sessionItems[DeviceIdSessionKey] as string, userName, StringComparison.Ordinal)
            || !DeviceClientIds.BelongsTo(clientId, userName))
        {
            return null;
        }
        return userName;
    }

    private void OnSourceRefused(IPEndPoint remote, SourceAdmission admission)
    {
        var (reason, detail) = admission == SourceAdmission.TooManyAttempts
            ? (RejectionReasons.TooManyConnectAttempts, $"More than {_settings.ConnectAttemptBurstPerSource} connect attempts at once (then {_settings.ConnectAttemptsPerSecondPerSource}/s) from one source; socket closed.")
            : (RejectionReasons.TooManyConnections, $"More than {_settings.MaxConnectionsPerSource} open connections from one source (or {_settings.MaxConnections} overall); socket closed.");
        // Called on the accept loop: a refusal that is only counted (the usual case in a flood) completes at once;
        // one that is recorded finishes in the background so accepting never waits on the database.
        ValueTask pending;
        try
        {
            pending = RefuseAsync(null, remote, reason, detail);
        }
        catch (Exception exception)
        {
            LogRefusalNotRecorded(logger, exception, reason);
            return;
        }
        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending, reason);
        }
    }

    private async Task ObserveAsync(ValueTask pending, string reason)
    {
        try
        {
            await pending;
        }
        catch (Exception exception)
        {
            LogRefusalNotRecorded(logger, exception, reason);
        }
    }

    private async ValueTask OnConnectionClosedAsync(EdgeConnection connection)
    {
        if (connection.DeviceId is { } deviceId && connection.ClientId is { } clientId)
        {
            _sessions.Release(deviceId, clientId, connection);
        }
        var guard = connection.Guard;
        if (guard.Verdict != PacketGuardVerdict.Ok)
        {
            var (reason, detail) = guard.Verdict switch
            {
                PacketGuardVerdict.TooLarge => (RejectionReasons.PacketTooLarge,
                    $"A packet of type {guard.PacketType} declared at least {guard.DeclaredLength} bytes (limit {guard.MaxRemainingLength}{(connection.DeviceId is null ? " before authentication" : "")}); connection closed before reading it."),
                PacketGuardVerdict.MalformedLength => (RejectionReasons.MalformedPacket, "A packet length with more than four bytes; connection closed."),
                _ => (RejectionReasons.MalformedPacket, $"First packet was of type {guard.PacketType}, not CONNECT; connection closed."),
            };
            await RefuseAsync(connection.DeviceId, connection.DeviceId is null ? connection.Remote : null, reason, detail, "mqtt:packet");
        }
        else if (connection.TimedOut)
        {
            await RefuseAsync(null, connection.Remote, RejectionReasons.ConnectTimeout,
                $"No complete CONNECT within {_settings.ConnectTimeout.TotalSeconds:0} s; connection closed.");
        }
    }

    private ValueTask RefuseAsync(string? deviceId, IPEndPoint? remote, string reason, string detail, string source = ConnectSource) =>
        _refusals.ReportAsync(deviceId, remote, source, reason, detail, CancellationToken.None);

    private Rejection Rejected(string? deviceId, string reason, string detail, string source) =>
        new(timeProvider.GetUtcNow(), deviceId, source, reason, detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected device {DeviceId}: {Change}")]
    private static partial void LogDisconnected(ILogger logger, string deviceId, DeviceAccessChange change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not disconnect device {DeviceId} after a credential change")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Reason} refusal at the MQTT edge could not be recorded")]
    private static partial void LogRefusalNotRecorded(ILogger logger, Exception exception, string reason);
}
