namespace Telehealth.Simulation.Transports;

public enum PublishOutcome
{
    /// <summary>Sent (QoS 0) or acknowledged (QoS 1).</summary>
    Delivered,

    /// <summary>The broker acknowledged with a failure reason code; sending it again would be refused again.</summary>
    Rejected,

    /// <summary>Not connected, or the connection dropped before the acknowledgement: send it again after reconnecting.</summary>
    NotConnected,
}
