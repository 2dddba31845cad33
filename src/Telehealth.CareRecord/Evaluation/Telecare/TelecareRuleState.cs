namespace Telehealth.CareRecord.Evaluation.Telecare;

/// <param name="LatestAt">Effective time of the newest event of this type seen, for the staff record only.</param>
public sealed record TelecareRuleState(DateTimeOffset? LatestAt = null);
