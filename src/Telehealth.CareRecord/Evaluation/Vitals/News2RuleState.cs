using Telehealth.CareRecord.News2;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// The NEWS2 rule's memory: the latest observation of each parameter (so it can re-score as they age), the
/// latest ACVPU, and the active condition (its severity and the parameters that scored in it).
/// </summary>
/// <param name="Contributing">Parameters that scored points in the active condition: each needs a fresh value before it can clear.</param>
public sealed record News2RuleState(
    IReadOnlyList<News2Observation> Latest,
    ConsciousnessLevel? Consciousness = null,
    DateTimeOffset? ConsciousnessAt = null,
    AlertSeverity? ActiveSeverity = null,
    int? ActiveTotal = null,
    IReadOnlyList<News2Parameter>? Contributing = null,
    DateTimeOffset? ActiveObservedAt = null)
{
    public bool Active => ActiveSeverity is not null;
}
