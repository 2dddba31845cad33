using Telehealth.Contracts.Evaluation;

namespace Telehealth.Contracts.Waking;

/// <summary>Ingest's nudge to the evaluation worker (see <see cref="IEvaluationSignal"/>).</summary>
public sealed class EvaluationSignal : IEvaluationSignal
{
    public WakeSignal Signal { get; } = new();

    public void Notify() => Signal.Notify();
}
