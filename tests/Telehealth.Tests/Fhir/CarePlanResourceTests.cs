// FHIR POCO properties are all nullable; a missing element makes the test fail with an exception, which is what we want.
#nullable disable warnings
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telehealth.CareRecord.CarePlans;
using Telehealth.Fhir.Mapping;

namespace Telehealth.Tests.Fhir;

/// <summary>Goals and the care plan as FHIR Goal and CarePlan: the mapping, versions in meta, and the SDK's validation (which can fail).</summary>
public sealed class CarePlanResourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 30, 0, 123, TimeSpan.Zero);
    private static readonly Guid Walk = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid Tea = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    private static CareGoal Goal(Guid id, GoalStatus status, int version, string? measure = "Walks 200 m with a frame", DateOnly? date = null) =>
        new(id, "pat-ada", id == Walk ? "Walk to the shop with a frame" : "Make tea unaided", measure, date ?? new DateOnly(2026, 12, 20), status, version,
            T0, T0.AddDays(version - 1), new CarePlanChange("nurse1", "Agreed at the home visit", T0.AddDays(version - 1)));

    private static CarePlanRecord Plan() => new("pat-ada", 4,
        [Goal(Walk, GoalStatus.Achieved, 2), Goal(Tea, GoalStatus.Cancelled, 2)],
        [new CareActivity("Blood pressure", "every morning", "the person"), new CareActivity("Physiotherapy visit", "twice weekly", "physiotherapist")],
        T0, new CarePlanChange("nurse1", "Discharge plan", T0.AddDays(3)));

    private static void AssertValidRoundTrip(Resource resource)
    {
        var json = FhirValidation.Serializer.SerializeToString(resource);
        var parsed = FhirValidation.StrictDeserializer.Deserialize<Resource>(json);
        Assert.True(parsed.IsExactly(resource), json);
        Assert.Empty(FhirValidation.StructuralErrors(parsed));
        Assert.True(FhirIds.IsValidId(parsed.Id), parsed.Id);
    }

    public static TheoryData<GoalStatus, Goal.GoalLifecycleStatus, string?> Statuses => new()
    {
        { GoalStatus.Proposed, Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Proposed, null },
        { GoalStatus.Active, Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active, "in-progress" },
        { GoalStatus.Achieved, Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Completed, "achieved" },
        { GoalStatus.Cancelled, Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Cancelled, null },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void A_goal_is_a_valid_Goal_with_its_status_version_and_subject(GoalStatus status, Goal.GoalLifecycleStatus lifecycle, string? achievement)
    {
        var goal = CarePlanResources.ToGoal(Goal(Walk, status, 3));

        AssertValidRoundTrip(goal);
        Assert.Equal(("goal-0f8fad5bd9cb469fa16570867728950e", "3", T0.AddDays(2)), (goal.Id, goal.Meta.VersionId, goal.Meta.LastUpdated));
        Assert.Equal((TelehealthSystems.GoalIdentifier, "0f8fad5b-d9cb-469f-a165-70867728950e"), (goal.Identifier[0].System, goal.Identifier[0].Value));
        Assert.Equal((lifecycle, achievement), (goal.LifecycleStatus, goal.AchievementStatus?.Coding[0].Code));
        Assert.Equal(("Patient/pat-ada", "Walk to the shop with a frame", "2026-11-25", "2026-11-27"),
            (goal.Subject.Reference, goal.Description.Text, ((Date)goal.Start).Value, goal.StatusDate));
        Assert.Equal(("Walks 200 m with a frame", "2026-12-20"), (goal.Target[0].Measure.Text, ((Date)goal.Target[0].Due).Value));
    }

    [Fact]
    public void An_open_ended_goal_without_a_measure_has_no_target()
    {
        var goal = CarePlanResources.ToGoal(Goal(Walk, GoalStatus.Active, 1) with { TargetMeasure = null, TargetDate = null });
        AssertValidRoundTrip(goal);
        Assert.Empty(goal.Target);
    }

    [Fact]
    public void The_care_plan_is_a_valid_CarePlan_naming_the_goals_still_part_of_it_and_its_activities()
    {
        var carePlan = CarePlanResources.ToCarePlan(Plan());

        AssertValidRoundTrip(carePlan);
        Assert.Equal(("pat-ada.careplan", "4", T0.AddDays(3), "2026-11-25T09:30:00.123Z"), (carePlan.Id, carePlan.Meta.VersionId, carePlan.Meta.LastUpdated, carePlan.Created));
        Assert.Equal((TelehealthSystems.CarePlanIdentifier, "pat-ada"), (carePlan.Identifier[0].System, carePlan.Identifier[0].Value));
        Assert.Equal((RequestStatus.Active, CarePlan.CarePlanIntent.Plan, "Patient/pat-ada"), (carePlan.Status, carePlan.Intent, carePlan.Subject.Reference));
        Assert.Equal(["Goal/goal-0f8fad5bd9cb469fa16570867728950e"], carePlan.Goal.Select(g => g.Reference)); // the cancelled goal is not named
        Assert.Equal(["Blood pressure|every morning|the person|InProgress", "Physiotherapy visit|twice weekly|physiotherapist|InProgress"],
            carePlan.Activity.Select(a => $"{a.Detail.Description}|{((FhirString)a.Detail.Scheduled).Value}|{a.Detail.Performer[0].Display}|{a.Detail.Status}"));
        Assert.Null(CarePlanResources.ToCarePlan(CarePlanRecord.Empty("pat-ada")));
    }

    [Fact]
    public void The_validation_used_here_finds_a_goal_or_care_plan_that_breaks_the_rules()
    {
        var goal = CarePlanResources.ToGoal(Goal(Walk, GoalStatus.Active, 1));
        goal.Subject = null; // Goal.subject is 1..1
        var carePlan = CarePlanResources.ToCarePlan(Plan());
        carePlan.Activity[0].Detail.StatusElement = null; // CarePlan.activity.detail.status is 1..1
        Assert.NotEmpty(FhirValidation.StructuralErrors(goal));
        Assert.NotEmpty(FhirValidation.StructuralErrors(carePlan));
    }

    [Theory]
    [InlineData("pat-ada.careplan", true, "pat-ada")]
    [InlineData("pat-ada", false, null)]
    [InlineData(".careplan", false, null)]
    [InlineData("a.b.careplan", false, null)]
    public void A_care_plan_id_names_its_person(string id, bool valid, string? patientId)
    {
        Assert.Equal(valid, FhirIds.TryParseCarePlanId(id, out var parsed));
        Assert.Equal(patientId, parsed);
        Assert.True(FhirIds.TryParseGoalId(FhirIds.Goal(Walk), out var goalId) && goalId == Walk);
    }
}
