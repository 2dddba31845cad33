using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.CarePlans;

namespace Telehealth.Tests.CareRecord;

/// <summary>Goals and care plan changes: status moves, reasons, target dates against the clock, versions and the summaries the timeline shows.</summary>
public sealed class CarePlanEditorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private static readonly Guid GoalA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid GoalB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private readonly FakeTimeProvider _clock = new(T0);

    private CarePlanChange Change(string reason = "Agreed at the home visit", string by = "nurse1") => new(by, reason, _clock.GetUtcNow());

    private static GoalDraft Walk(GoalStatus status = GoalStatus.Active, DateOnly? by = null) =>
        new("Walk to the shop with a frame", "Walks 200 m with a frame", by ?? new DateOnly(2026, 12, 20), status);

    private CarePlanRecord WithGoal(GoalStatus status)
    {
        var added = CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, Walk(GoalStatus.Active), Change());
        if (status == GoalStatus.Active)
        {
            return added.Next!;
        }
        // Reach the wanted status the way a clinician would (proposed is only ever a starting status).
        return status == GoalStatus.Proposed
            ? CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, Walk(GoalStatus.Proposed), Change()).Next!
            : CarePlanEditor.ChangeGoal(added.Next!, GoalA, 1, Walk(status), Change()).Next!;
    }

    public static TheoryData<GoalStatus, GoalStatus, bool> Moves => new()
    {
        { GoalStatus.Proposed, GoalStatus.Proposed, true },
        { GoalStatus.Proposed, GoalStatus.Active, true },
        { GoalStatus.Proposed, GoalStatus.Achieved, false },
        { GoalStatus.Proposed, GoalStatus.Cancelled, true },
        { GoalStatus.Active, GoalStatus.Proposed, false },
        { GoalStatus.Active, GoalStatus.Active, true },
        { GoalStatus.Active, GoalStatus.Achieved, true },
        { GoalStatus.Active, GoalStatus.Cancelled, true },
        { GoalStatus.Achieved, GoalStatus.Proposed, false },
        { GoalStatus.Achieved, GoalStatus.Active, true },
        { GoalStatus.Achieved, GoalStatus.Achieved, true },
        { GoalStatus.Achieved, GoalStatus.Cancelled, false },
        { GoalStatus.Cancelled, GoalStatus.Proposed, false },
        { GoalStatus.Cancelled, GoalStatus.Active, false },
        { GoalStatus.Cancelled, GoalStatus.Achieved, false },
        { GoalStatus.Cancelled, GoalStatus.Cancelled, true },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void A_goal_moves_only_along_the_table(GoalStatus from, GoalStatus to, bool allowed) =>
        Assert.Equal(allowed, CarePlanEditor.CanMove(from, to));

    [Theory]
    [InlineData(GoalStatus.Proposed, GoalStatus.Achieved, "A goal cannot go from proposed to achieved.")]
    [InlineData(GoalStatus.Achieved, GoalStatus.Cancelled, "A goal cannot go from achieved to cancelled.")]
    [InlineData(GoalStatus.Active, GoalStatus.Proposed, "A goal cannot go from active to proposed.")]
    public void A_move_off_the_table_is_refused_with_its_reason(GoalStatus from, GoalStatus to, string problem)
    {
        var plan = WithGoal(from);
        var edit = CarePlanEditor.ChangeGoal(plan, GoalA, plan.Goal(GoalA)!.Version, Walk(to), Change());
        Assert.Equal(CarePlanEditOutcome.Invalid, edit.Outcome);
        Assert.Equal([problem], edit.Problems["status"]);
    }

    [Fact]
    public void A_new_goal_is_version_1_of_the_goal_and_of_the_plan_with_who_when_and_why()
    {
        var edit = CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, Walk(), Change("  Agreed at the home visit  "));

        Assert.Equal(CarePlanEditOutcome.Ready, edit.Outcome);
        var goal = Assert.Single(edit.Next!.Goals);
        Assert.Equal(new CareGoal(GoalA, "pat-1", "Walk to the shop with a frame", "Walks 200 m with a frame", new DateOnly(2026, 12, 20),
            GoalStatus.Active, 1, T0, T0, new CarePlanChange("nurse1", "Agreed at the home visit", T0)), goal);
        Assert.Equal((1, (DateTimeOffset?)T0), (edit.Next.Version, edit.Next.CreatedAt));
        Assert.Equal(new CarePlanRevision(1, CarePlanRevisionKind.GoalAdded, GoalA, 1,
            "Goal added: Walk to the shop with a frame (active, target: Walks 200 m with a frame, by 2026-12-20)",
            new CarePlanChange("nurse1", "Agreed at the home visit", T0)), edit.Revision);
    }

    public static TheoryData<string, GoalDraft, string, string, string> BadNewGoals => new()
    {
        { "no reason", Walk(), "  ", "reason", "reason is required (at most 500 characters): the change is part of the person's record." },
        { "no description", Walk() with { Description = " " }, "why", "description", "description is required." },
        { "long description", Walk() with { Description = new string('x', 201) }, "why", "description", "description is at most 200 characters." },
        { "long measure", Walk() with { TargetMeasure = new string('x', 201) }, "why", "targetMeasure", "targetMeasure is at most 200 characters." },
        { "achieved at once", Walk(GoalStatus.Achieved), "why", "status", "A new goal is proposed or active." },
        { "cancelled at once", Walk(GoalStatus.Cancelled), "why", "status", "A new goal is proposed or active." },
        { "target yesterday", Walk(by: new DateOnly(2026, 11, 24)), "why", "targetDate", "targetDate 2026-11-24 is in the past (today is 2026-11-25)." },
        { "unknown status", Walk((GoalStatus)9), "why", "status", "status must be proposed, active, achieved or cancelled." },
    };

    [Theory]
    [MemberData(nameof(BadNewGoals))]
    public void A_new_goal_is_refused_with_every_problem_named(string _, GoalDraft draft, string reason, string field, string problem)
    {
        var edit = CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, draft, Change(reason));
        Assert.Equal(CarePlanEditOutcome.Invalid, edit.Outcome);
        Assert.Contains(problem, edit.Problems[field]);
        Assert.Null(edit.Next);
    }

    [Fact]
    public void A_target_date_of_today_is_allowed_and_the_day_follows_the_clock()
    {
        Assert.Equal(CarePlanEditOutcome.Ready, CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, Walk(by: new DateOnly(2026, 11, 25)), Change()).Outcome);
        _clock.Advance(TimeSpan.FromDays(1));
        var next = CarePlanEditor.AddGoal(CarePlanRecord.Empty("pat-1"), GoalA, Walk(by: new DateOnly(2026, 11, 25)), Change());
        Assert.Equal(["targetDate 2026-11-25 is in the past (today is 2026-11-26)."], next.Problems["targetDate"]);
    }

    [Fact]
    public void A_goal_whose_date_has_passed_can_still_be_closed_but_not_moved_into_the_past()
    {
        var plan = WithGoal(GoalStatus.Active);
        _clock.Advance(TimeSpan.FromDays(40)); // 2027-01-04: the 20 December target has passed

        var achieved = CarePlanEditor.ChangeGoal(plan, GoalA, 1, Walk(GoalStatus.Achieved), Change("Walked to the shop on the visit"));
        var moved = CarePlanEditor.ChangeGoal(plan, GoalA, 1, Walk(by: new DateOnly(2026, 12, 31)), Change("Slower than hoped"));

        Assert.Equal(CarePlanEditOutcome.Ready, achieved.Outcome);
        var goal = achieved.Next!.Goal(GoalA)!;
        Assert.Equal((GoalStatus.Achieved, 2, T0.AddDays(40), T0), (goal.Status, goal.Version, goal.StatusChangedAt, goal.CreatedAt));
        Assert.Equal("Goal Walk to the shop with a frame: status active → achieved", achieved.Revision!.Summary);
        Assert.Equal((2, CarePlanRevisionKind.GoalChanged, (int?)2), (achieved.Revision.Sequence, achieved.Revision.Kind, achieved.Revision.GoalVersion));
        Assert.Equal(["targetDate 2026-12-31 is in the past (today is 2027-01-04)."], moved.Problems["targetDate"]);
    }

    [Fact]
    public void A_change_lists_each_difference_and_keeps_the_status_time_when_the_status_stays()
    {
        var plan = WithGoal(GoalStatus.Active);
        _clock.Advance(TimeSpan.FromHours(2));
        var edit = CarePlanEditor.ChangeGoal(plan, GoalA, 1,
            new GoalDraft("Walk to the post office with a frame", null, new DateOnly(2027, 1, 10), GoalStatus.Active), Change("Shop closed"));

        Assert.Equal("Goal Walk to the shop with a frame: now Walk to the post office with a frame; target Walks 200 m with a frame → none; target date 2026-12-20 → 2027-01-10",
            edit.Revision!.Summary);
        var goal = edit.Next!.Goal(GoalA)!;
        Assert.Equal((T0, T0.AddHours(2), "Shop closed"), (goal.StatusChangedAt, goal.LastChange.At, goal.LastChange.Reason));
    }

    [Fact]
    public void A_change_from_an_old_version_is_a_conflict_an_unknown_goal_is_not_found_and_no_change_is_refused()
    {
        var plan = WithGoal(GoalStatus.Achieved); // goal at version 2

        Assert.Equal(CarePlanEditOutcome.Conflict, CarePlanEditor.ChangeGoal(plan, GoalA, 1, Walk(GoalStatus.Active), Change()).Outcome);
        Assert.Equal(CarePlanEditOutcome.NotFound, CarePlanEditor.ChangeGoal(plan, GoalB, 1, Walk(), Change()).Outcome);
        Assert.Equal(["Nothing changed."], CarePlanEditor.ChangeGoal(plan, GoalA, 2, Walk(GoalStatus.Achieved), Change()).Problems["goal"]);
    }

    [Fact]
    public void Activities_are_replaced_as_a_whole_with_what_was_added_and_removed()
    {
        var plan = WithGoal(GoalStatus.Active); // plan version 1
        var bp = new CareActivity("Blood pressure", "every morning", "the person");
        var physio = new CareActivity("Physiotherapy visit", "twice weekly", "physiotherapist");

        var first = CarePlanEditor.ReplaceActivities(plan, 1, [bp, physio with { Description = " Physiotherapy visit " }], Change("Discharge plan"));
        var second = CarePlanEditor.ReplaceActivities(first.Next!, 2, [physio], Change("BP stable for a month"));

        Assert.Equal([bp, physio], first.Next!.Activities);
        Assert.Equal("Care plan activities: added Blood pressure (every morning, the person); added Physiotherapy visit (twice weekly, physiotherapist)", first.Revision!.Summary);
        Assert.Equal((3, CarePlanRevisionKind.ActivitiesChanged, (Guid?)null), (second.Next!.Version, second.Revision!.Kind, second.Revision.GoalId));
        Assert.Equal("Care plan activities: removed Blood pressure (every morning, the person)", second.Revision.Summary);
        Assert.Single(second.Next.Goals); // goals are untouched
    }

    public static TheoryData<string, CareActivity[], int, string, string> BadActivities => new()
    {
        { "stale version", [new("BP", "daily", "the person")], 0, "version", "The care plan is at version 1, not 0: someone changed it meanwhile; reload and try again." },
        { "no schedule", [new("BP", " ", "the person")], 1, "activities[0]", "schedule is required." },
        { "no performer", [new("BP", "daily", "")], 1, "activities[0]", "performer is required." },
        { "twice", [new("BP", "daily", "carer"), new("BP", "daily", "carer")], 1, "activities[1]", "This activity is listed twice." },
        { "unchanged", [], 1, "activities", "Nothing changed." },
        { "too many", [.. Enumerable.Range(0, 21).Select(i => new CareActivity($"Activity {i}", "daily", "carer"))], 1, "activities", "A care plan holds at most 20 activities." },
    };

    [Theory]
    [MemberData(nameof(BadActivities))]
    public void Bad_activities_are_refused_with_the_reason(string _, CareActivity[] activities, int version, string field, string problem)
    {
        var edit = CarePlanEditor.ReplaceActivities(WithGoal(GoalStatus.Active), version, activities, Change());
        Assert.Contains(problem, edit.Problems[field]);
        Assert.Null(edit.Next);
    }
}
