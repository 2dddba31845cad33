namespace Telehealth.CareRecord.Escalation;

/// <summary>Put the alert in front of <see cref="Target"/> now. <see cref="Number"/> counts ladder steps from 0 (the first notification).</summary>
public sealed record EscalationStep(int Number, string Target, EscalationTargetKind Kind, string Reason);
