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
}
