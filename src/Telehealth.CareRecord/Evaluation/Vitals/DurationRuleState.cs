namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <param name="HoldingSince">Effective time of the first reading of the current unbroken run beyond the limit.</param>
/// <param name="LastMetAt">Effective time of the latest reading beyond the limit.</param>
/// <param name="Raised">The duration was reached and the condition has not cleared since.</param>
/// <param name="LastValue">The latest value beyond the limit, for the staff reason.</param>
public sealed record DurationRuleState(
    DateTimeOffset? HoldingSince = null,
    DateTimeOffset? LastMetAt = null,
    bool Raised = false,
    DateTimeOffset? LatestAt = null,
    double? LastValue = null);
