using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// Section "Mqtt:Nats" (used when <c>Mqtt:Mode</c> is <c>NatsJetStream</c>): where nats-server is, the platform's own
/// account on it, and the one durable JetStream consumer every platform instance pulls from.
/// </summary>
public sealed class NatsJetStreamOptions : IValidatableObject
{
    /// <summary>nats-server's client URL (the NATS protocol port, not its MQTT port).</summary>
    [Required]
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>The platform's own service user on nats-server (never a device's).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// The durable consumer's name. Every instance uses the same one, so each message goes to exactly one instance
    /// (a work queue across instances); two deployments on one nats-server need two names.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ConsumerName { get; set; } = "telehealth-ingest";

    /// <summary>
    /// How long nats-server waits for an instance's acknowledgement before it gives the message to another instance.
    /// This bounds takeover: readings held by an instance that died are stored by another one within AckWait (plus
    /// that instance's next pull). It must exceed the longest store-and-queue time under load, or slow writes are
    /// delivered twice (harmless, the dedupe identity drops them, but wasted work).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Messages this instance stores at once before acknowledging them (also its pull batch size). These are what one
    /// ingest batch is made of when the stream holds a backlog, so they set how many readings share one InfluxDB
    /// write, one dedupe question and one queueing statement: in alternating split bench runs, 2,000 against 500 gave
    /// 8,066-9,107 against 4,847-5,389 readings/s end to end, 69-80 against 116-151 us of PostgreSQL CPU and 59-67
    /// against 93-95 us of the instances' per reading (5,000 gave no more). A light load still makes small batches at
    /// once (the writer takes what is waiting). An instance that dies holds up to this many until AckWait passes.
    /// </summary>
    [Range(1, 10000)]
    public int MaxMessagesInFlight { get; set; } = 2000;

    /// <summary>Messages handed out to all instances together and not yet acknowledged (the consumer's MaxAckPending).</summary>
    [Range(1, 1000000)]
    public int MaxAckPending { get; set; } = 20000;

    /// <summary>After a failed store the message is returned (nak) and offered again after this delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keeping nats-server's device users and permissions current from the registry (off unless enabled).</summary>
    [Required]
    public NatsAccountSyncOptions Sync { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != "nats" && url.Scheme != "tls") || url.Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"'{Url}' is not a nats:// or tls:// URL with a port.", [nameof(Url)]);
        }
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Username and Password are set together or not at all.", [nameof(Username), nameof(Password)]);
        }
    }
}
