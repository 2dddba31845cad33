using System.Globalization;
using Hl7.Fhir.Model;
using Telehealth.CareRecord.CarePlans;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// A person's goals and care plan as FHIR R4 Goal and CarePlan. Pure. Each carries its version in
/// <c>meta.versionId</c> (the goal's own version; the care plan's version counts every change to goals or activities)
/// and the time of that version in <c>meta.lastUpdated</c>. The reasons for changes stay in the platform's history,
/// as call notes do: staff text may hold names or values that the shared record does not need.
/// </summary>
public static class CarePlanResources
{
    public static Goal ToGoal(CareGoal goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        var resource = new Goal
        {
            Id = FhirIds.Goal(goal.Id),
            Meta = new Meta { VersionId = goal.Version.ToString(CultureInfo.InvariantCulture), LastUpdated = goal.LastChange.At.ToUniversalTime() },
            Identifier = [FhirIdentifiers.Goal(goal.Id)],
            LifecycleStatus = goal.Status switch
            {
                GoalStatus.Proposed => Goal.GoalLifecycleStatus.Proposed,
                GoalStatus.Active => Goal.GoalLifecycleStatus.Active,
                GoalStatus.Achieved => Goal.GoalLifecycleStatus.Completed,
                GoalStatus.Cancelled => Goal.GoalLifecycleStatus.Cancelled,
                _ => throw new ArgumentOutOfRangeException(nameof(goal), goal.Status, null),
            },
            Description = new CodeableConcept { Text = goal.Description },
            Subject = new ResourceReference($"Patient/{FhirIds.Patient(goal.PatientId)}"),
            Start = new Date(DateText(goal.CreatedAt)),
            StatusDate = DateText(goal.StatusChangedAt),
        };
        // Achievement is said only where it is known: working towards an agreed goal, or met.
        resource.AchievementStatus = goal.Status switch
        {
            GoalStatus.Active => new CodeableConcept(FhirSystems.GoalAchievement, "in-progress", "In Progress", null),
            GoalStatus.Achieved => new CodeableConcept(FhirSystems.GoalAchievement, "achieved", "Achieved", null),
            _ => null,
        };
        if (goal.TargetMeasure is not null || goal.TargetDate is not null)
        {
            resource.Target.Add(new Goal.TargetComponent
            {
                // The measure in words (gol-1 allows a measure without a detail value).
                Measure = goal.TargetMeasure is { } measure ? new CodeableConcept { Text = measure } : null,
                Due = goal.TargetDate is { } date ? new Date(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null,
            });
        }
        return resource;
    }

    /// <summary>The person's one care plan; null before anything was set (version 0).</summary>
    public static CarePlan? ToCarePlan(CarePlanRecord plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Version == 0 || plan.LastChange is null || plan.CreatedAt is null)
        {
            return null;
        }
        return new CarePlan
        {
            Id = FhirIds.CarePlan(plan.PatientId),
            Meta = new Meta { VersionId = plan.Version.ToString(CultureInfo.InvariantCulture), LastUpdated = plan.LastChange.At.ToUniversalTime() },
            Identifier = [FhirIdentifiers.CarePlan(plan.PatientId)],
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Title = "Care plan",
            Subject = new ResourceReference($"Patient/{FhirIds.Patient(plan.PatientId)}"),
            Created = plan.CreatedAt.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            // Goals still pursued or met; a cancelled goal is no longer part of the plan (its Goal stays, cancelled).
            Goal = [.. plan.Goals.Where(g => g.Status != GoalStatus.Cancelled).Select(g => new ResourceReference($"Goal/{FhirIds.Goal(g.Id)}"))],
            Activity = [.. plan.Activities.Select(a => new CarePlan.ActivityComponent
            {
                Detail = new CarePlan.DetailComponent
                {
                    Status = CarePlan.CarePlanActivityStatus.InProgress,
                    Description = a.Description,
                    Scheduled = new FhirString(a.Schedule),
                    // Care teams name roles ("physiotherapist", "the person"), not accounts: a display-only reference.
                    Performer = [new ResourceReference { Display = a.Performer }],
                },
            })],
        };
    }

    private static string DateText(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
