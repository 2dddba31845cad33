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

    private readonly Counter<long> _evaluated;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _wait;

    public EvaluationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _evaluated = meter.CreateCounter<long>("telehealth.evaluation.items", description: "Due items evaluated and recorded");
        _failed = meter.CreateCounter<long>("telehealth.evaluation.failures", description: "Evaluations that failed and were deferred for a retry");
        _events = meter.CreateCounter<long>("telehealth.evaluation.alert_events", description: "Alert events recorded by evaluation");
        _wait = meter.CreateHistogram<double>("telehealth.evaluation.queue_wait", unit: "s", description: "From receipt of the data to its evaluation being recorded");
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
}
