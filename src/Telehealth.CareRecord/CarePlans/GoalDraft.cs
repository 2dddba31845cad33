namespace Telehealth.CareRecord.CarePlans;

/// <summary>What a clinician asks a goal to be (new or changed), before it is judged by <see cref="CarePlanEditor"/>.</summary>
public sealed record GoalDraft(string Description, string? TargetMeasure, DateOnly? TargetDate, GoalStatus Status);
