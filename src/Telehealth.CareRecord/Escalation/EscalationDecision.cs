namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// What the escalator says at one moment: the steps due now (record each with
/// <see cref="Alerting.AlertCaseLifecycle.RecordEscalation"/>, then notify), when to ask again, and the snoozes
/// in force (shown to colleagues).
/// </summary>
public sealed record EscalationDecision(
    IReadOnlyList<EscalationStep> DueNow,
    DateTimeOffset? NextAt,
    IReadOnlyDictionary<string, DateTimeOffset> Snoozes)
{
    public static EscalationDecision Nothing { get; } = new([], null, new Dictionary<string, DateTimeOffset>());
}
