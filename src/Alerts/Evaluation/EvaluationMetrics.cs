using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Telehealth.Alerts.Evaluation;

/// <summary>
/// OpenTelemetry meter and activity source "Telehealth.Evaluation": items evaluated and failed, how long data waited
/// from receipt to evaluation, and alert events recorded — so "is evaluation keeping up" is a graph, not a guess.
/// </summary>
public sealed class EvaluationMetrics
{
    public const string Name = "Telehealth.Evaluation";

    public static readonly ActivitySource ActivitySource = new(Name);

    // Seconds, from a few milliseconds (a quiet pass) to a minute (a stalled one); the SDK's default buckets are for milliseconds.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Counter<long> _evaluated;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _wait;
    private readonly Histogram<double> _pass;
    private readonly Histogram<long> _passPatients;
    private readonly Counter<long> _spaced;

    public EvaluationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _evaluated = meter.CreateCounter<long>("telehealth.evaluation.items", description: "Due items evaluated and recorded");
        _failed = meter.CreateCounter<long>("telehealth.evaluation.failures", description: "Evaluations that failed and were deferred for a retry");
        _events = meter.CreateCounter<long>("telehealth.evaluation.alert_events", description: "Alert events recorded by evaluation");
        _wait = meter.CreateHistogram<double>("telehealth.evaluation.queue_wait", unit: "s", description: "From receipt of the data to its evaluation being recorded", advice: Seconds);
        _pass = meter.CreateHistogram<double>("telehealth.evaluation.pass_duration", unit: "s", description: "One evaluation pass, from claiming its items to recording them (what an alert waits behind)", advice: Seconds);
        _passPatients = meter.CreateHistogram<long>("telehealth.evaluation.pass_patients", description: "Patients evaluated in one pass");
        _spaced = meter.CreateCounter<long>("telehealth.evaluation.spaced_passes",
            description: "Claims held back under sustained load until Evaluation:BusyPassSpacing had passed since the one before");
    }

    public void Evaluated(int items, int alertEvents, IEnumerable<TimeSpan> waits)
    {
        _evaluated.Add(items);
        _events.Add(alertEvents);
        foreach (var wait in waits)
        {
            _wait.Record(Math.Max(0, wait.TotalSeconds));
        }
    }

    public void Failed(int items) => _failed.Add(items);

    public void Spaced() => _spaced.Add(1);

    public void Pass(TimeSpan duration, int patients)
    {
        _pass.Record(duration.TotalSeconds);
        _passPatients.Record(patients);
    }
}
