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

    public IPEndPoint Remote { get; } = remote;

    public MqttPacketGuard Guard { get; } = guard;

    public string? DeviceId => _deviceId;

    public string? ClientId => _clientId;

    /// <summary>Set when the connect deadline passed before the CONNECT was complete.</summary>
    public bool TimedOut { get; set; }

    /// <summary>Called by the broker after the device's credentials and client id were accepted.</summary>
    public void Authenticated(string deviceId, string clientId, int maxPacketBytes)
    {
        _deviceId = deviceId;
        _clientId = clientId;
        Guard.MaxRemainingLength = maxPacketBytes;
    }
}
