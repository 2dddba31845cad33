using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's own: it admits a socket only within the per-source
/// limits, closes it if its CONNECT is not complete by the connect deadline, and wraps its stream in a
/// <see cref="PacketGuardStream"/> so an oversize or malformed packet is refused before MQTTnet buffers it.
/// Binds one address, as configured (IPv4 or IPv6, no dual mode), like MQTTnet's listener did.
/// </summary>
public sealed partial class GuardedTcpServerAdapter(
    IPEndPoint bindEndPoint,
    EmbeddedBrokerOptions settings,
    SourceConnectionLimiter limiter,
    TimeProvider timeProvider,
    Action<IPEndPoint, SourceAdmission> sourceRefused,
    Func<EdgeConnection, ValueTask> connectionClosed,
    ILogger logger) : IMqttServerAdapter
{
    /// <summary>
    /// Initial size of each connection's packet writer (MQTTnet's default is larger). The broker only sends small packets
    /// (CONNACK, PUBACK, SUBACK, PINGRESP, DISCONNECT, each with at most a short reason); the writer doubles for a larger
    /// one. Every idle connection holds this buffer.
    /// </summary>
    private const int WriterBufferBytes = 256;

    private readonly ConcurrentDictionary<IMqttChannelAdapter, EdgeConnection> _connections = new();
    private Socket? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The port actually bound (the configured one, or the one the OS chose for port 0).</summary>
    public int Port { get; private set; }

    public int OpenConnections => _connections.Count;

    /// <summary>Open connections whose connect deadline is still armed (not yet authenticated); counts by walking them all.</summary>
    public int AwaitingConnect => _connections.Values.Count(c => c.AwaitsConnect);

    public bool TryGetConnection(IMqttChannelAdapter channelAdapter, out EdgeConnection connection) =>
        _connections.TryGetValue(channelAdapter, out connection!);

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var listener = new Socket(bindEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(bindEndPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, options, mqttLogger, stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stopping is null)
        {
            return;
        }
        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }
        _stopping.Dispose();
        _stopping = null;
        _listener = null;
    }

    public void Dispose()
    {
        _stopping?.Cancel();
        _listener?.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                // A client that reset between SYN and accept, or the process out of descriptors: keep listening.
                LogAcceptFailed(logger, exception, exception.SocketErrorCode);
                continue;
            }

            var remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
            var admission = limiter.TryAdmit(remote.Address);
            if (admission != SourceAdmission.Admitted)
            {
                // Closed at once with a reset: a refused source holds no buffer, timer or task.
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
                sourceRefused(remote, admission);
                continue;
            }
            _ = Task.Run(() => HandleAsync(socket, remote, options, mqttLogger), CancellationToken.None);
        }
    }

    private async Task HandleAsync(Socket socket, IPEndPoint remote, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var accepted = timeProvider.GetTimestamp();
        var connection = new EdgeConnection(remote, new MqttPacketGuard(settings.MaxConnectPacketBytes));
        MqttChannelAdapter? channelAdapter = null;
        try
        {
            socket.NoDelay = true;
            await using var stream = new PacketGuardStream(new NetworkStream(socket, ownsSocket: true), connection.Guard);
            // Disarmed as soon as the device authenticates (EdgeConnection.Authenticated), else when the socket closes.
            connection.ArmConnectDeadline(timeProvider.CreateTimer(
                static state => CloseIfNotConnected((ConnectDeadline)state!), new ConnectDeadline(socket, connection), settings.ConnectTimeout, Timeout.InfiniteTimeSpan));

            var channel = new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(WriterBufferBytes, options.WriterBufferSizeMax));
            channelAdapter = new MqttChannelAdapter(channel, formatter, mqttLogger);
            _connections[channelAdapter] = connection;
            if (ClientHandler is { } handler)
            {
                await handler(channelAdapter).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // MQTTnet's handler catches its own errors; this is the socket set-up failing (client already gone).
            LogConnectionFailed(logger, exception);
        }
        finally
        {
            connection.DisarmConnectDeadline();
            connection.Closed(timeProvider.GetElapsedTime(accepted), settings.ConnectTimeout);
            if (channelAdapter is not null)
            {
                _connections.TryRemove(channelAdapter, out _);
                channelAdapter.Dispose();
            }
            socket.Dispose();
            limiter.Release(remote.Address);
            try
            {
                await connectionClosed(connection).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogConnectionFailed(logger, exception);
            }
        }
    }

    private static void CloseIfNotConnected(ConnectDeadline deadline)
    {
        if (!deadline.Connection.Guard.ConnectReceived)
        {
            deadline.Connection.TimedOut = true;
            deadline.Socket.Dispose();
        }
    }

    private sealed record ConnectDeadline(Socket Socket, EdgeConnection Connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting an MQTT connection failed ({Error}); still listening")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception, SocketError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An MQTT connection failed while being set up or closed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);
}
