namespace Telehealth.CareRecord.Lifecycle;

/// <summary>What <see cref="AlertLifecycle"/> decided: the alert to store, and whether it is new.</summary>
public sealed record AlertDecision(AlertDecisionKind Kind, Alert Alert);
