using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Telehealth.Ingest.Pipeline;

/// <summary>OpenTelemetry meter and activity source "Telehealth.Ingest".</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Telehealth.Ingest";

    /// <summary>One span per batch written (size, new, conflicts): the stage between the edge and evaluation.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _storeFailures;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _stored = meter.CreateCounter<long>("telehealth.ingest.readings.stored");
        _duplicates = meter.CreateCounter<long>("telehealth.ingest.readings.duplicates");
        _batchSize = meter.CreateHistogram<int>("telehealth.ingest.batch.size");
        _storeFailures = meter.CreateCounter<long>("telehealth.ingest.store.failures");
    }

    public void BatchWritten(int size, int stored)
    {
        _batchSize.Record(size);
        _stored.Add(stored);
        _duplicates.Add(size - stored);
    }

    public void StoreFailed() => _storeFailures.Add(1);
}
