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
}
