namespace Telehealth.Simulation.Transports;

public enum ConnectOutcome
{
    Connected,

    /// <summary>The broker answered and refused (bad credentials, not authorised, server busy...).</summary>
    Refused,

    /// <summary>No answer: connection refused, timed out or dropped during the handshake.</summary>
    Unreachable,
}
