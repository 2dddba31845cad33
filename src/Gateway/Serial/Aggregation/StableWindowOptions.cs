namespace Telehealth.Gateway.Serial.Aggregation;

/// <summary>
/// How the per-second stream becomes readings. The defaults follow common practice for spot checks with a home
/// oximeter: let it settle, then take the median of a stable half minute (docs/device-api.md, "Aggregation").
/// </summary>
public sealed record StableWindowOptions
{
    /// <summary>Length of each window, measured on the bridge's clock from the window's first sample.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewest valid samples a window needs (20 of the 30 a 1 Hz device sends in the default window).</summary>
    public int MinValidSamples { get; init; } = 20;

    /// <summary>Share of a window's samples that must be valid (no artifact, finger out, probe error…; both values present).</summary>
    public double MinValidFraction { get; init; } = 0.7;

    /// <summary>Largest SpO2 spread (percentage points) between the 10th and 90th percentile of the valid samples.</summary>
    public int MaxSpo2Spread { get; init; } = 4;

    /// <summary>Largest pulse-rate spread (beat/min) between the 10th and 90th percentile of the valid samples.</summary>
    public int MaxPulseSpread { get; init; } = 15;

    /// <summary>Every problem with these options, as one line each naming the flag; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Window < TimeSpan.FromMilliseconds(100) || Window > TimeSpan.FromHours(1))
        {
            problems.Add($"--window must be from 100ms to 1h, got {Window}.");
        }
        if (MinValidSamples < 1)
        {
            problems.Add($"--min-samples must be at least 1, got {MinValidSamples}.");
        }
        if (MinValidFraction is <= 0 or > 1 || double.IsNaN(MinValidFraction))
        {
            problems.Add($"--min-valid-fraction must be above 0 and at most 1, got {MinValidFraction}.");
        }
        if (MaxSpo2Spread < 0)
        {
            problems.Add($"--max-spo2-spread must not be negative, got {MaxSpo2Spread}.");
        }
        if (MaxPulseSpread < 0)
        {
            problems.Add($"--max-pulse-spread must not be negative, got {MaxPulseSpread}.");
        }
        return problems;
    }
}
