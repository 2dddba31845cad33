namespace Telehealth.Bench.Scale;

/// <summary>What one bare InfluxDB run measured; Counted is what a query found afterwards.</summary>
public sealed record BareInfluxResult(int Points, int BatchSize, int Writers, int FailedBatches, long Counted, TimeSpan Elapsed, CpuUse Cpu)
{
    public double PointsPerSecond => Counted / Elapsed.TotalSeconds;

    public bool CountsMatch => FailedBatches == 0 && Counted == Points;
}
