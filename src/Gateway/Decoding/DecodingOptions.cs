using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Decoding;

/// <summary>Limits the device payload decoders enforce. Bound from the "Decoding" configuration section.</summary>
public sealed class DecodingOptions
{
    public const string SectionName = "Decoding";

    /// <summary>Largest payload decoded at all. 64 KiB holds hundreds of SenML records; anything bigger is a fault or abuse.</summary>
    [Range(64, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Most SenML records in one message; a message with more is refused whole.</summary>
    [Range(1, 100_000)]
    public int MaxRecords { get; set; } = 1000;

    /// <summary>
    /// How far ahead of the receive time a device clock may be. Home devices drift and are set by hand;
    /// a few minutes is tolerated, more would let a wrong clock hide a reading in the future.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Oldest device time accepted. Devices buffer readings while offline, so days are normal; a year or more
    /// means an unset clock (1970, 2000 defaults), which would file the reading in the wrong place in the record.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);
}
