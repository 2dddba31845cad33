using Telehealth.CareRecord.Thresholds;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <param name="Raised">The band the condition was last raised in; null while the condition is not present.</param>
/// <param name="LatestAt">Effective time of the newest reading judged; older (back-filled) readings change nothing.</param>
/// <param name="InBandSince">First reading back inside the band (by less than the margin) while raised.</param>
public sealed record ThresholdRuleState(
    Interpretation? Raised = null,
    AlertSeverity? Severity = null,
    DateTimeOffset? LatestAt = null,
    DateTimeOffset? InBandSince = null);
