namespace Telehealth.CareRecord.CarePlans;

/// <summary>
/// One goal of a person, e.g. "walk to the shop with a frame" by 20 December. Each change makes a new
/// <see cref="Version"/> (1 for the first), kept in the care plan's history.
/// </summary>
/// <param name="TargetMeasure">What shows it is met, in words ("walks 200 m with a frame"); null when the description says it all.</param>
/// <param name="TargetDate">By when; null for an open-ended goal.</param>
/// <param name="StatusChangedAt">When <paramref name="Status"/> was last set (the creation time until it changes).</param>
/// <param name="LastChange">Who made this version, when and why.</param>
public sealed record CareGoal(
    Guid Id,
    string PatientId,
    string Description,
    string? TargetMeasure,
    DateOnly? TargetDate,
    GoalStatus Status,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset StatusChangedAt,
    CarePlanChange LastChange);
