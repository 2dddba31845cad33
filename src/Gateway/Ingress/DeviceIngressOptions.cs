using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Ingress;

/// <summary>Per-device limits and checks on the ingest path. Bound from the "Devices" configuration section.</summary>
public sealed class DeviceIngressOptions
{
    public const string SectionName = "Devices";

    /// <summary>
    /// Messages a device may send per second, sustained (token bucket refill). A home monitor sends a few messages
    /// an hour; a serial bridge catching up after an outage sends one at a time and waits for each PUBACK. 10/s leaves
    /// a catching-up bridge room while one flooding device cannot take the store from the others.
    /// </summary>
    [Range(0.01, 100_000)]
    public double MessagesPerSecond { get; set; } = 10;

    /// <summary>Messages a device may send at once before the sustained rate applies (bucket size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 600;

    /// <summary>
    /// A device clock this far from the platform's (measured from status messages that carry a time) is flagged on
    /// the device (<c>clockSkewFlagged</c>); beyond Decoding:MaxClockSkew ahead its messages are refused anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ClockSkewFlag { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the ingest path may reuse a device's registry record and assignment history instead of reading them
    /// for every message (two queries per message otherwise). Changes made through this instance (revocation,
    /// rotation, assignment, retrieval) take effect at once; this bounds how long one made by another instance on a
    /// shared care record can go unseen. Zero turns the cache off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Devices:LookupCacheTtl must be between 0 (off) and 1 minute.")]
    public TimeSpan LookupCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
