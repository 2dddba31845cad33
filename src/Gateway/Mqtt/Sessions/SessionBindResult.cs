namespace Telehealth.Gateway.Mqtt.Sessions;

public enum SessionBindResult
{
    /// <summary>A new client id for this device, within its limit.</summary>
    Bound,

    /// <summary>A client id this device already holds: the new connection replaces its own older one (MQTT takeover).</summary>
    Replaced,

    /// <summary>The device already holds its maximum number of client ids.</summary>
    TooManySessions,
}
