using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt;

public sealed class ExternalBrokerOptions
{
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>The platform's own service account on the broker (never a device's).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    [Required]
    public string ClientId { get; set; } = "telehealth-ingest";

    /// <summary>
    /// MQTT 5 shared-subscription group. Several platform instances in one group split the device traffic
    /// between them instead of each storing everything. Empty for a plain subscription.
    /// </summary>
    public string? SharedSubscriptionGroup { get; set; } = "telehealth-ingest";

    /// <summary>
    /// Messages being stored at once before their acknowledgements. Keep it below the broker's limit for unacked
    /// messages per client (mosquitto's max_inflight_messages; its default of 20 throttles, it does not lose).
    /// </summary>
    [Range(1, 65535)]
    public int MaxMessagesInFlight { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keeping mosquitto's accounts and ACL current from the registry (off unless enabled).</summary>
    [Required]
    public BrokerSync.BrokerSyncOptions Sync { get; set; } = new();
}
