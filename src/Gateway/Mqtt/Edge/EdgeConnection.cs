using System.Net;

namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// One TCP connection at the device edge, from accept to close: where it comes from, its packet guard, and the device
/// and client id it authenticated as. The identity lives here, with the connection, not in the MQTT session.
/// </summary>
public sealed class EdgeConnection(IPEndPoint remote, MqttPacketGuard guard)
{
    private volatile string? _deviceId;
    private volatile string? _clientId;
    private ITimer? _connectDeadline;

    public IPEndPoint Remote { get; } = remote;

    public MqttPacketGuard Guard { get; } = guard;

    public string? DeviceId => _deviceId;

    public string? ClientId => _clientId;

    /// <summary>Set when the connect deadline passed before the CONNECT was complete.</summary>
    public bool TimedOut { get; set; }

    /// <summary>
    /// Called as the socket closes, however it closed. A connection that lived to its connect deadline without a
    /// complete CONNECT timed out even when something else closed it first: MQTTnet keeps a timeout of its own for
    /// the first packet, and on a loaded machine its timer could run before ours, which then found the socket gone
    /// and the refusal went unrecorded.
    /// </summary>
    public void Closed(TimeSpan openFor, TimeSpan connectTimeout)
    {
        if (!Guard.ConnectReceived && openFor >= connectTimeout)
        {
            TimedOut = true;
        }
    }

    /// <summary>Whether the connect deadline's timer is still armed (from accept until the device authenticates or the socket closes).</summary>
    public bool AwaitsConnect => Volatile.Read(ref _connectDeadline) is not null;

    /// <summary>Holds the timer that closes the socket if no CONNECT arrives in time.</summary>
    public void ArmConnectDeadline(ITimer deadline) => Volatile.Write(ref _connectDeadline, deadline);

    /// <summary>
    /// Disposes the connect deadline's timer, once. An authenticated connection no longer needs it, and a timer left
    /// to fire 10 s after every connect is 10,000 timers in the runtime's queue, firing in one burst, after a fleet
    /// reconnects; kept for the connection's lifetime, each also held about 300 bytes.
    /// </summary>
    public void DisarmConnectDeadline() => Interlocked.Exchange(ref _connectDeadline, null)?.Dispose();

    /// <summary>Called by the broker after the device's credentials and client id were accepted.</summary>
    public void Authenticated(string deviceId, string clientId, int maxPacketBytes)
    {
        _deviceId = deviceId;
        _clientId = clientId;
        Guard.MaxRemainingLength = maxPacketBytes;
        DisarmConnectDeadline();
    }
}
