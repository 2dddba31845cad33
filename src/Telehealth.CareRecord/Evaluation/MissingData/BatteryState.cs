namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <param name="DischargeFromAt">First report of the current discharge (reset when the level rises: charged or replaced).</param>
/// <param name="Low">The condition is raised and has not cleared.</param>
public sealed record BatteryState(
    DateTimeOffset? DischargeFromAt = null,
    int? DischargeFromPercent = null,
    DateTimeOffset? LatestAt = null,
    int? LatestPercent = null,
    bool Low = false);
