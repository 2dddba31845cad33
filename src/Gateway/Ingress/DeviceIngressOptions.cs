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
}
