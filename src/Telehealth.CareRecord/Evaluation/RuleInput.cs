using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// One evaluation: a patient at <see cref="Now"/>, with the observation that triggered it, or none when a
/// scheduler woke the rule at its <see cref="RuleEvaluation.WakeAt"/> time.
/// </summary>
public sealed record RuleInput(string PatientId, DateTimeOffset Now, Observation? Observation = null)
{
    public static RuleInput Wake(string patientId, DateTimeOffset now) => new(patientId, now);
}
