namespace Telehealth.Bench;

/// <summary>What one end-to-end run measured. Stored is the count read back through the API, not the publishers' own tally.</summary>
public sealed record EndToEndResult(
    EndToEndSettings Settings,
    int Acknowledged,
    int Failed,
    int Stored,
    TimeSpan Elapsed,
    double P50AckMs,
    double P99AckMs,
    double MaxAckMs)
{
    public double ReadingsPerSecond => Stored / Elapsed.TotalSeconds;

    /// <summary>With <see cref="EndToEndSettings.Settled"/>: from the first PUBLISH until evaluated and pushed.</summary>
    public TimeSpan? SettledElapsed { get; init; }

    /// <summary>With <see cref="EndToEndSettings.Settled"/>: persons for whom the dashboard received alertRaised.</summary>
    public int AlertsPushed { get; init; }

    /// <summary>CPU use while the clock ran, when a sampler was given.</summary>
    public Scale.CpuUse? Cpu { get; init; }

    /// <summary>Cost per reading sent while the clock ran, for this whole process (platform and device clients).</summary>
    public ProcessCostPerReading? Cost { get; init; }

    /// <summary>Readings the warm-up sent before the clock, every round together.</summary>
    public int WarmUpReadings { get; init; }

    /// <summary>Methods compiled in this process during each warm-up round, in order.</summary>
    public IReadOnlyList<long> WarmUpCompiled { get; init; } = [];

    /// <summary>
    /// The SQLite write turns while the clock ran (every bulk write of the embedded care record takes one): how many,
    /// and how long they were held in all. Held near the whole clock, the one writer is what sets the pace.
    /// </summary>
    public (long Turns, TimeSpan Held)? WriteTurns { get; init; }

    public double SettledReadingsPerSecond => SettledElapsed is { } settled ? Stored / settled.TotalSeconds : double.NaN;
}
