namespace Telehealth.Contracts.Readings;

/// <summary>
/// One patient's readings of one kind in [From, To), summarised per <paramref name="Interval"/>. Buckets start at
/// whole multiples of the interval since the Unix epoch (as InfluxDB's GROUP BY time() aligns them).
/// </summary>
public sealed record ReadingSummaryQuery(string PatientId, VitalKind Kind, DateTimeOffset From, DateTimeOffset To, TimeSpan Interval)
{
    /// <summary>Most buckets one query may span, so a one-second interval over a year cannot be asked for.</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>Why the query cannot be answered, or null when it can.</summary>
    public string? Problem()
    {
        if (Interval < TimeSpan.FromSeconds(1) || Interval.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return "interval must be at least one second, in whole milliseconds";
        }
        if (To <= From)
        {
            return "to must be after from";
        }
        if ((To - From).Ticks / Interval.Ticks >= MaxBuckets)
        {
            return $"the range spans more than {MaxBuckets} intervals";
        }
        return null;
    }

    /// <summary>The start of the bucket holding <paramref name="deviceTimeMs"/> (Unix ms).</summary>
    public long BucketStartMs(long deviceTimeMs)
    {
        var interval = (long)Interval.TotalMilliseconds;
        return deviceTimeMs - (((deviceTimeMs % interval) + interval) % interval);
    }
}
