using Telehealth.CareRecord.FollowUp;

namespace Telehealth.CareRecord.Figures;

/// <summary>
/// Telephone follow-up of the alerts raised in the period: how many were called about, the calls made, how each
/// call ended and what was done on them (a call may record several actions, or none).
/// </summary>
/// <param name="AlertsCalled">Alerts with at least one call.</param>
/// <param name="Calls">Call attempts about those alerts.</param>
/// <param name="Escalated">Calls that reached the limit of unreached attempts and re-opened their alert.</param>
public sealed record FollowUpFigures(
    int AlertsCalled,
    int Calls,
    IReadOnlyDictionary<CallOutcome, int> ByOutcome,
    IReadOnlyDictionary<CallAction, int> ByAction,
    int Escalated);
