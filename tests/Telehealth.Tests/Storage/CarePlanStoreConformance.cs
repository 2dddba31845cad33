using Telehealth.CareRecord.CarePlans;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Goals and care plans on every care-record engine: each saved version reads back exactly, the history keeps every
/// version in order with who, when and why, and a change made from an older version is refused with nothing written.
/// </summary>
public abstract class CarePlanStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid GoalId = new("6f1c2a9e-0d4b-4c7e-9a51-2b3c4d5e6f70");

    [Fact]
    public async Task Each_version_reads_back_exactly_with_its_history_and_a_stale_save_writes_nothing()
    {
        var store = Get<ICarePlanStore>();
        var empty = await store.GetAsync("pat-1");
        Assert.Equal(0, empty.Version);
        Assert.Null(await store.GetGoalAsync(GoalId));

        var added = CarePlanEditor.AddGoal(empty, GoalId, new GoalDraft("Walk to the shop with a frame", "200 m with a frame", new DateOnly(2026, 12, 20), GoalStatus.Active),
            new CarePlanChange("dr.patel", "Agreed at the first visit", T0));
        Assert.True(await store.SaveAsync(added.Next!, added.Revision!));
        var afterGoal = await store.GetAsync("pat-1");
        var activities = CarePlanEditor.ReplaceActivities(afterGoal, 1, [new CareActivity("Blood pressure", "every morning", "the person")],
            new CarePlanChange("dr.patel", "BP to watch", T0.AddMinutes(5)));
        Assert.True(await store.SaveAsync(activities.Next!, activities.Revision!));
        var achieved = CarePlanEditor.ChangeGoal(await store.GetAsync("pat-1"), GoalId, 1,
            new GoalDraft("Walk to the shop with a frame", "200 m with a frame", new DateOnly(2026, 12, 20), GoalStatus.Achieved),
            new CarePlanChange("nurse.jones", "Walked there on Tuesday", T0.AddDays(1)));
        Assert.True(await store.SaveAsync(achieved.Next!, achieved.Revision!));

        // A change made from version 1 (someone else saved 2 and 3 since) is refused and leaves the record as it was.
        var stale = CarePlanEditor.ReplaceActivities(afterGoal, 1, [new CareActivity("Weight", "weekly", "carer")], new CarePlanChange("nurse.b", "Late edit", T0.AddDays(2)));
        Assert.Equal(CarePlanEditOutcome.Ready, stale.Outcome); // valid in itself, made from an old version
        Assert.False(await store.SaveAsync(stale.Next!, stale.Revision!));

        var plan = await store.GetAsync("pat-1");
        Assert.Equal(3, plan.Version);
        Assert.Equal(T0, plan.CreatedAt);
        Assert.Equal(new CarePlanChange("nurse.jones", "Walked there on Tuesday", T0.AddDays(1)), plan.LastChange);
        Assert.Equal([new CareActivity("Blood pressure", "every morning", "the person")], plan.Activities);
        var goal = Assert.Single(plan.Goals);
        Assert.Equal(new CareGoal(GoalId, "pat-1", "Walk to the shop with a frame", "200 m with a frame", new DateOnly(2026, 12, 20),
            GoalStatus.Achieved, 2, T0, T0.AddDays(1), new CarePlanChange("nurse.jones", "Walked there on Tuesday", T0.AddDays(1))), goal);
        Assert.Equal(goal, await store.GetGoalAsync(GoalId));
        var history = await store.GetHistoryAsync("pat-1");
        Assert.Equal([1, 2, 3], history.Select(r => r.Sequence));
        Assert.Equal([CarePlanRevisionKind.GoalAdded, CarePlanRevisionKind.ActivitiesChanged, CarePlanRevisionKind.GoalChanged], history.Select(r => r.Kind));
        Assert.Equal([(Guid?)GoalId, null, GoalId], history.Select(r => r.GoalId));
        Assert.Equal([(int?)1, null, 2], history.Select(r => r.GoalVersion));
        Assert.Equal(["dr.patel", "dr.patel", "nurse.jones"], history.Select(r => r.Change.ChangedBy));
        Assert.Equal([added.Revision!.Summary, activities.Revision!.Summary, achieved.Revision!.Summary], history.Select(r => r.Summary));
        Assert.Equal(0, (await store.GetAsync("pat-2")).Version);
    }
}

public sealed class CarePlanStoreTests() : CarePlanStoreConformance(new SqliteStoreEngine());
