namespace Telehealth.Contracts.Evaluation;

/// <summary>
/// Wakes the evaluation worker as soon as something was queued in this process, instead of waiting for its next poll
/// (the poll remains for work queued by another instance and for retries).
/// </summary>
public interface IEvaluationSignal
{
    void Notify();
}
