namespace Telehealth.Bench;

/// <summary>
/// What one connections run measured: resident memory per idle connection and the active devices' rate in rounds
/// alone and beside the idle connections, taken in pairs of neighbouring rounds (alone, with, with, alone, ...).
/// </summary>
public sealed record ConnectionsResult(
    int Idle,
    int StillConnected,
    double BytesPerConnection,
    IReadOnlyList<ConnectionsRound> Rounds,
    int StoredReadings,
    int ExpectedReadings,
    Scale.CpuUse? Cpu)
{
    /// <summary>Median rate of the rounds without idle connections.</summary>
    public double RateAlone => Median(Rounds.Where(r => !r.WithIdle).Select(r => r.Rate));

    /// <summary>Median rate of the rounds beside the idle connections.</summary>
    public double RateWithIdle => Median(Rounds.Where(r => r.WithIdle).Select(r => r.Rate));

    /// <summary>Each pair's with-idle rate over its alone rate; a pair is two neighbouring rounds, so slow drifts of the machine's load cancel.</summary>
    public IReadOnlyList<double> PairRatios => [.. Rounds.Chunk(2).Where(p => p.Length == 2)
        .Select(p => p.Single(r => r.WithIdle).Rate / p.Single(r => !r.WithIdle).Rate)];

    /// <summary>
    /// Each pair's platform CPU per reading with the idle connections over alone. Less at the mercy of the machine's other
    /// load than the rate: above 1 means the idle connections cost the platform something per reading.
    /// </summary>
    public IReadOnlyList<double> PairCpuRatios => [.. Rounds.Chunk(2).Where(p => p.Length == 2)
        .Select(p => p.Single(r => r.WithIdle).PlatformMicrosecondsPerReading / p.Single(r => !r.WithIdle).PlatformMicrosecondsPerReading)];

    public double CpuRatio => Median(PairCpuRatios);

    /// <summary>The median of the pair ratios: the "flat" figure.</summary>
    public double RateRatio => Median(PairRatios);

    public double RatioMin => PairRatios.Count > 0 ? PairRatios.Min() : double.NaN;

    public double RatioMax => PairRatios.Count > 0 ? PairRatios.Max() : double.NaN;

    public bool CountsMatch => StillConnected == Idle && StoredReadings == ExpectedReadings;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
