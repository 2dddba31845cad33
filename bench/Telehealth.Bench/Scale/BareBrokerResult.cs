namespace Telehealth.Bench.Scale;

/// <summary>
/// What one bare broker run measured; Delivered counts distinct messages the subscriber got. LongestPause is the longest
/// time without a delivery while the clock ran (from its start): a raw limit is only one if the broker kept delivering,
/// and a run of 23:50 on 27 November measured mosquitto at 3,213 readings/s with the machine 14 % busy, a stall that
/// nothing in the report named.
/// </summary>
public sealed record BareBrokerResult(string Broker, int Devices, int Sent, int Acknowledged, int Delivered, int Duplicates, TimeSpan Elapsed, CpuUse Cpu,
    TimeSpan LongestPause)
{
    /// <summary>The counts as the report lists them.</summary>
    public string Counts => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Sent} messages sent, {Acknowledged} PUBACKed, {Delivered} delivered (distinct), {Duplicates} duplicates; longest pause between deliveries {LongestPause.TotalSeconds:0.00} s");

    public double ReadingsPerSecond => Delivered * ScalePayload.ReadingsPerMessage / Elapsed.TotalSeconds;

    public bool CountsMatch => Acknowledged == Sent && Delivered == Sent;
}
