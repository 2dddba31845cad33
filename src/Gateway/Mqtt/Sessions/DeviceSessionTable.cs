namespace Telehealth.Gateway.Mqtt.Sessions;

/// <summary>
/// Which client ids each device holds on live connections, bounded per device. A device reconnecting with a client id
/// it already holds replaces its own connection (MQTT takeover) without counting twice; a release by a connection
/// that was replaced does not free the slot its successor holds.
/// </summary>
public sealed class DeviceSessionTable(int maxSessionsPerDevice)
{
    private readonly Dictionary<string, Dictionary<string, object>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public SessionBindResult TryBind(string deviceId, string clientId, object connection)
    {
        lock (_lock)
        {
            if (!_byDevice.TryGetValue(deviceId, out var clients))
            {
                clients = new Dictionary<string, object>(StringComparer.Ordinal);
                _byDevice[deviceId] = clients;
            }
            if (clients.ContainsKey(clientId))
            {
                clients[clientId] = connection;
                return SessionBindResult.Replaced;
            }
            if (clients.Count >= maxSessionsPerDevice)
            {
                return SessionBindResult.TooManySessions;
            }
            clients[clientId] = connection;
            return SessionBindResult.Bound;
        }
    }

    public void Release(string deviceId, string clientId, object connection)
    {
        lock (_lock)
        {
            if (_byDevice.TryGetValue(deviceId, out var clients)
                && clients.TryGetValue(clientId, out var holder) && ReferenceEquals(holder, connection))
            {
                clients.Remove(clientId);
                if (clients.Count == 0)
                {
                    _byDevice.Remove(deviceId);
                }
            }
        }
    }

    /// <summary>The client ids the device holds now (a copy).</summary>
    public IReadOnlyList<string> ClientIdsOf(string deviceId)
    {
        lock (_lock)
        {
            return _byDevice.TryGetValue(deviceId, out var clients) ? [.. clients.Keys] : [];
        }
    }

    public int CountFor(string deviceId)
    {
        lock (_lock)
        {
            return _byDevice.TryGetValue(deviceId, out var clients) ? clients.Count : 0;
        }
    }
}
