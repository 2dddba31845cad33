namespace Telehealth.Bench.Scale;

/// <summary>
/// What one split-deployment run measured. Stored is counted in InfluxDB itself; Elapsed runs from the first PUBLISH
/// until every reading is stored, the broker holds nothing unacknowledged, the evaluation queue is empty and the
/// dashboard has an alert for every person.
/// </summary>
public sealed record SplitDeploymentResult(
    int Devices,
    int Sent,
    int Acknowledged,
    long Stored,
    int AlertsPushed,
    long Redelivered,
    TimeSpan AcknowledgedElapsed,
    TimeSpan Elapsed,
    CpuUse Cpu)
{
    /// <summary>When InfluxDB held every reading, the broker's consumer had drained, and the evaluation queue was empty.</summary>
    public (TimeSpan Stored, TimeSpan Drained, TimeSpan Evaluated) Stages { get; init; }

    /// <summary>PostgreSQL's work while the clock ran (<see cref="PostgresActivity"/>).</summary>
    public string Postgres { get; init; } = "";

    /// <summary>PostgreSQL's cost per reading while the clock ran: WAL bytes, pages dirtied and written, CPU µs.</summary>
    public string PostgresPerReading { get; init; } = "";

    /// <summary>The same topology idle beforehand: CPU and PostgreSQL work with no readings, the baseline for the above.</summary>
    public string Idle { get; init; } = "";

    /// <summary>Each instance's runtime counters while the clock ran (<see cref="RuntimeCounters"/>): CPU, JIT, GC per reading.</summary>
    public IReadOnlyList<string> Runtime { get; init; } = [];

    /// <summary>CPU seconds of both instances together per reading while the clock ran (from their own counters).</summary>
    public double InstancesCpuPerReading { get; init; }

    /// <summary>How the instances were warmed before the clock, and how much each warm-up round still compiled.</summary>
    public string WarmUp { get; init; } = "";

    public double ReadingsPerSecond => Stored / Elapsed.TotalSeconds;

    public bool CountsMatch => Acknowledged == Sent && Stored == Sent && AlertsPushed == Devices;
}
