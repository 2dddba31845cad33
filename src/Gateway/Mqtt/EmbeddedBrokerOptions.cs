using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt;

public sealed class EmbeddedBrokerOptions
{
    /// <summary>Address to listen on. Loopback by default: exposing the broker beyond this machine is a deliberate choice.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Per-client queue for subscribers. MQTTnet's default (1000, dropping the oldest) can lose QoS 1 messages.</summary>
    [Range(1000, 10_000_000)]
    public int MaxPendingMessagesPerClient { get; set; } = 100_000;

    /// <summary>
    /// Largest CONNECT accepted (remaining length, bytes), checked before credentials: room for a client id, a device
    /// id, a secret and a small will. Anything larger is refused before its body is read.
    /// </summary>
    [Range(512, 1_048_576)]
    public int MaxConnectPacketBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// Largest packet after authentication. Twice the 64 KiB payload limit: a payload a little over that limit still
    /// reaches the decoder and gets a PUBACK with its reason (payload_too_large); anything larger closes the
    /// connection before its body is read.
    /// </summary>
    [Range(1024, 16_777_216)]
    public int MaxPacketBytes { get; set; } = 128 * 1024;

    /// <summary>A connection whose CONNECT has not fully arrived by then is closed (slow or silent senders hold nothing for long).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Open connections one source (an IPv4 address or an IPv6 /64) may hold. Generous by default because the demo,
    /// device-sim (about 4 devices a home) and bridges behind one NAT all connect from one address; lower it when
    /// each source is one home. Unauthenticated sockets cost at most the CONNECT limit each, for the connect timeout.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerSource { get; set; } = 1000;

    /// <summary>Connect attempts per second one source gets back (token bucket refill).</summary>
    [Range(0.01, 100_000)]
    public double ConnectAttemptsPerSecondPerSource { get; set; } = 50;

    /// <summary>Connect attempts one source may make at once (token bucket size): every device of a site reconnecting after a power cut.</summary>
    [Range(1, 1_000_000)]
    public int ConnectAttemptBurstPerSource { get; set; } = 500;

    /// <summary>Open connections overall, authenticated or not.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Client ids (MQTT sessions) one device may hold at once; more are refused with QuotaExceeded.</summary>
    [Range(1, 1000)]
    public int MaxSessionsPerDevice { get; set; } = 4;

    /// <summary>Identical refusals (same source or device, same reason) inside this window are logged and listed once, then counted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefusalReportWindow { get; set; } = TimeSpan.FromMinutes(1);
}
