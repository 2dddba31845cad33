namespace Telehealth.Gateway.Mqtt.Edge;

public enum PacketGuardVerdict
{
    Ok,

    /// <summary>A remaining length with a fifth continuation byte: not MQTT (spec: at most four bytes).</summary>
    MalformedLength,

    /// <summary>The first packet on a connection was not a CONNECT.</summary>
    FirstPacketNotConnect,

    /// <summary>A packet declared more bytes than the limit in force (smaller before authentication).</summary>
    TooLarge,
}
