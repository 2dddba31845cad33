using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Instances;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>
/// Named work leases on every care-record engine, with explicit times: one holder at a time, renewal, expiry and
/// takeover at the exact millisecond, release, and two instances asking at once. Also the follower cursor that a
/// paused old holder cannot move back.
/// </summary>
public abstract class WorkLeaseStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    private IWorkLeaseStore Leases => Get<IWorkLeaseStore>();

    [Fact]
    public async Task One_holder_at_a_time_until_its_lease_runs_out_then_another_takes_it_over()
    {
        Assert.Null(await Leases.GetAsync("escalation-timers"));
        Assert.True(await Leases.TryAcquireAsync("escalation-timers", "instance-a", Duration, T0));
        Assert.False(await Leases.TryAcquireAsync("escalation-timers", "instance-b", Duration, T0.AddSeconds(1)));
        // One millisecond before the end it is still A's; at the end it is free.
        Assert.False(await Leases.TryAcquireAsync("escalation-timers", "instance-b", Duration, T0 + Duration - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(new WorkLease("escalation-timers", "instance-a", T0, T0 + Duration), await Leases.GetAsync("escalation-timers"));

        Assert.True(await Leases.TryAcquireAsync("escalation-timers", "instance-b", Duration, T0 + Duration));

        Assert.Equal(new WorkLease("escalation-timers", "instance-b", T0 + Duration, T0 + Duration * 2), await Leases.GetAsync("escalation-timers"));
        // A comes back from a pause: its renewal is refused and the lease stays B's.
        Assert.False(await Leases.TryAcquireAsync("escalation-timers", "instance-a", Duration, T0 + Duration + TimeSpan.FromSeconds(1)));
        Assert.Equal("instance-b", (await Leases.GetAsync("escalation-timers"))!.Holder);
    }

    [Fact]
    public async Task A_renewal_moves_the_end_on_and_keeps_when_it_was_taken()
    {
        Assert.True(await Leases.TryAcquireAsync("alert-follower:signalr", "instance-a", Duration, T0));
        Assert.True(await Leases.TryAcquireAsync("alert-follower:signalr", "instance-a", Duration, T0.AddSeconds(5)));
        Assert.True(await Leases.TryAcquireAsync("alert-follower:signalr", "instance-a", Duration, T0.AddSeconds(10)));

        Assert.Equal(new WorkLease("alert-follower:signalr", "instance-a", T0, T0.AddSeconds(10) + Duration), await Leases.GetAsync("alert-follower:signalr"));
        // Renewed, it is not free at the first lease's end.
        Assert.False(await Leases.TryAcquireAsync("alert-follower:signalr", "instance-b", Duration, T0 + Duration));
        // A holder whose own lease ran out with nobody taking it over gets it again, as a new lease.
        Assert.True(await Leases.TryAcquireAsync("alert-follower:signalr", "instance-a", Duration, T0.AddSeconds(60)));
        Assert.Equal(new WorkLease("alert-follower:signalr", "instance-a", T0, T0.AddSeconds(60) + Duration), await Leases.GetAsync("alert-follower:signalr"));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_only_its_holder_can_release_it()
    {
        Assert.True(await Leases.TryAcquireAsync("alert-follower:fhir", "instance-a", Duration, T0));

        await Leases.ReleaseAsync("alert-follower:fhir", "instance-b");
        Assert.False(await Leases.TryAcquireAsync("alert-follower:fhir", "instance-b", Duration, T0.AddSeconds(1)));
        await Leases.ReleaseAsync("alert-follower:fhir", "instance-a");
        Assert.Null(await Leases.GetAsync("alert-follower:fhir"));
        Assert.True(await Leases.TryAcquireAsync("alert-follower:fhir", "instance-b", Duration, T0.AddSeconds(1)));

        Assert.Equal(new WorkLease("alert-follower:fhir", "instance-b", T0.AddSeconds(1), T0.AddSeconds(1) + Duration), await Leases.GetAsync("alert-follower:fhir"));
    }

    [Fact]
    public async Task Leases_of_different_work_are_held_apart()
    {
        Assert.True(await Leases.TryAcquireAsync("escalation-timers", "instance-a", Duration, T0));
        Assert.True(await Leases.TryAcquireAsync("alert-follower:escalation", "instance-b", Duration, T0));

        Assert.False(await Leases.TryAcquireAsync("escalation-timers", "instance-b", Duration, T0));
        Assert.False(await Leases.TryAcquireAsync("alert-follower:escalation", "instance-a", Duration, T0));
        Assert.Equal(["instance-a", "instance-b"], [(await Leases.GetAsync("escalation-timers"))!.Holder, (await Leases.GetAsync("alert-follower:escalation"))!.Holder]);
    }

    [Fact]
    public async Task Two_instances_asking_at_once_for_a_free_or_expired_lease_get_it_once()
    {
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var stores = new[] { (Holder: "instance-a", Store: Leases), (Holder: "instance-b", Store: other.GetRequiredService<IWorkLeaseStore>()) };
        foreach (var at in new[] { T0, T0 + Duration, T0 + Duration * 2 })
        {
            // 20 asks per instance at the same instant: at each lease's end exactly one instance ends up holding it.
            var asks = Enumerable.Range(0, 40).Select(i => stores[i % 2]).Select(s => Task.Run(async () => (s.Holder, Got: await s.Store.TryAcquireAsync("escalation-timers", s.Holder, Duration, at))));
            var answers = await Task.WhenAll(asks);
            var holder = (await Leases.GetAsync("escalation-timers"))!.Holder;
            Assert.Equal(20, answers.Count(a => a.Got));
            Assert.All(answers, a => Assert.Equal(a.Holder == holder, a.Got));
        }
    }

    [Fact]
    public async Task A_followers_saved_place_only_moves_forward()
    {
        var log = Get<IAlertEventLog>();
        await log.SetCursorAsync("signalr", 40);
        await log.SetCursorAsync("signalr", 55);
        // An old holder resuming from a pause writes the place it had reached: the newer place stays.
        await log.SetCursorAsync("signalr", 41);

        Assert.Equal(55, await log.GetCursorAsync("signalr"));
        Assert.Null(await log.GetCursorAsync("fhir"));
    }
}
