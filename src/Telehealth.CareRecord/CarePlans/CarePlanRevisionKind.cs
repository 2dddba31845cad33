namespace Telehealth.CareRecord.CarePlans;

/// <summary>What one saved version of a care plan changed. Wire names: goal_added, goal_changed, activities_changed.</summary>
public enum CarePlanRevisionKind
{
    GoalAdded,
    GoalChanged,
    ActivitiesChanged,
}
