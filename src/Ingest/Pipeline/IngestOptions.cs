using System.ComponentModel.DataAnnotations;

namespace Telehealth.Ingest.Pipeline;

/// <summary>Configuration section "Ingest".</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Submissions waiting for the writer. When full, publishers wait (backpressure reaches the device as a late PUBACK).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most readings written in one store call. InfluxDB ingests several times faster in batches of thousands.</summary>
    [Range(1, 100_000)]
    public int MaxBatchReadings { get; set; } = 5_000;

    /// <summary>
    /// How long the writer lingers for more submissions once the queue is empty. Zero (the default) writes at once:
    /// under load, submissions pile up while a batch is being written, so batches still grow, and a lone reading
    /// (a single external-broker subscriber delivers one message at a time) is never held back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.Zero;
}
