using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Instances;
using Telehealth.Storage.Sqlite.Instances;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// <see cref="WorkLeases"/> on a real SQLite care record and a fake clock: two instances (two runners with their own
/// ids) never run the same work at once; a clean stop hands it over at the other's next ask; a holder whose lease was
/// taken over while it was paused stops, and starts the work again from the start when it regains the lease.
/// </summary>
public sealed class WorkLeasesTests : IDisposable
{
    private const string Lease = "alert-follower:test";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<string> _events = new();
    private readonly SemaphoreSlim _changed = new(0);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Only_the_holder_runs_the_work_and_a_clean_stop_hands_it_to_the_other_instance_at_its_next_ask()
    {
        var (a, idA) = Runner();
        var (b, idB) = Runner();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunWhileHeldAsync(Lease, token => WorkAsync("a", token), stopA.Token);
        await WaitForEventsAsync(["a started"]);
        var runB = b.RunWhileHeldAsync(Lease, token => WorkAsync("b", token), stopB.Token);

        // Two whole leases go by: A renews every third, B asks every third and is refused every time.
        var started = _clock.GetUtcNow();
        await AdvanceUntilAsync(async () => (await Store.GetAsync(Lease))!.Until >= started + Duration * 3);
        Assert.Equal(idA, (await Store.GetAsync(Lease))!.Holder);
        Assert.Equal(["a started"], _events);

        await stopA.CancelAsync();
        await runA;
        Assert.Null(await Store.GetAsync(Lease)); // released at stop
        var released = _clock.GetUtcNow();
        await AdvanceUntilAsync(() => Task.FromResult(_events.Count == 3));
        Assert.Equal(["a started", "a stopped", "b started"], _events);
        var taken = (await Store.GetAsync(Lease))!;
        Assert.Equal(idB, taken.Holder);
        // At B's next ask: within a third of a lease (the clock moves in whole seconds here).
        Assert.InRange(taken.AcquiredAt, released, released + Duration / 3 + TimeSpan.FromSeconds(1));

        await stopB.CancelAsync();
        await runB;
        Assert.Equal(["a started", "a stopped", "b started", "b stopped"], _events);
    }

    [Fact]
    public async Task A_holder_whose_lease_was_taken_over_while_paused_stops_and_starts_again_from_the_start_when_it_regains_it()
    {
        var (a, idA) = Runner();
        using var stop = new CancellationTokenSource();
        var run = a.RunWhileHeldAsync(Lease, token => WorkAsync("a", token), stop.Token);
        await WaitForEventsAsync(["a started"]);

        // What a paused holder finds on waking: its lease ran out and another instance took the work over.
        await Store.ReleaseAsync(Lease, idA);
        Assert.True(await Store.TryAcquireAsync(Lease, "instance-b", Duration, _clock.GetUtcNow()));
        var takenAt = _clock.GetUtcNow();
        await AdvanceUntilAsync(() => Task.FromResult(_events.Count == 2));
        Assert.Equal(["a started", "a stopped"], _events);
        // B's lease runs out unrenewed (B died): A, asking every third of a lease, gets it back once it has.
        await AdvanceUntilAsync(() => Task.FromResult(_events.Count == 3));
        Assert.Equal(["a started", "a stopped", "a started"], _events);
        var regained = (await Store.GetAsync(Lease))!;
        Assert.Equal(idA, regained.Holder);
        Assert.InRange(regained.AcquiredAt, takenAt + Duration, takenAt + Duration + Duration / 3 + TimeSpan.FromSeconds(1));

        await stop.CancelAsync();
        await run;
        Assert.Equal(["a started", "a stopped", "a started", "a stopped"], _events);
        Assert.Null(await Store.GetAsync(Lease));
    }

    [Fact]
    public async Task A_lease_whose_holder_died_on_this_machine_is_taken_at_the_first_ask_without_waiting_for_it_to_run_out()
    {
        using var holder = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var deadId = InstanceIdentity.ForProcess(holder.Id).Id;
        var takenAt = _clock.GetUtcNow();
        Assert.True(await Store.TryAcquireAsync(Lease, deadId, Duration, takenAt));
        holder.Kill(); // a crash: the lease stays held for its whole duration
        await holder.WaitForExitAsync().WaitAsync(Patience);

        var (a, idA) = Runner();
        using var stop = new CancellationTokenSource();
        var run = a.RunWhileHeldAsync(Lease, token => WorkAsync("a", token), stop.Token);
        await WaitForEventsAsync(["a started"]); // the clock has not moved

        var taken = (await Store.GetAsync(Lease))!;
        Assert.Equal(idA, taken.Holder);
        Assert.Equal(takenAt, taken.AcquiredAt);
        await stop.CancelAsync();
        await run;
    }

    [Theory]
    [InlineData("alive here", true)]
    [InlineData("dead, but taking over from dead holders is off", false)]
    public async Task A_lease_whose_holder_lives_or_may_not_be_judged_is_taken_only_once_it_has_run_out(string holderIs, bool takeOver)
    {
        using var holder = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var holderId = InstanceIdentity.ForProcess(holder.Id).Id;
        var takenAt = _clock.GetUtcNow();
        Assert.True(await Store.TryAcquireAsync(Lease, holderId, Duration, takenAt));
        if (!takeOver)
        {
            holder.Kill();
            await holder.WaitForExitAsync().WaitAsync(Patience);
        }

        var (a, idA) = Runner(takeOver);
        using var stop = new CancellationTokenSource();
        var run = a.RunWhileHeldAsync(Lease, token => WorkAsync("a", token), stop.Token);
        await AdvanceUntilAsync(() => Task.FromResult(!_events.IsEmpty));

        Assert.Equal(["a started"], _events);
        var taken = (await Store.GetAsync(Lease))!;
        Assert.Equal(idA, taken.Holder);
        Assert.True(taken.AcquiredAt >= takenAt + Duration, $"{holderIs}: taken at {taken.AcquiredAt - takenAt} of a {Duration} lease");
        await stop.CancelAsync();
        await run;
        if (!holder.HasExited)
        {
            holder.Kill();
        }
    }

    private SqliteWorkLeaseStore Store => new(_temp.Database);

    private (WorkLeases Runner, string Id) Runner(bool takeOverFromDeadLocalHolders = true)
    {
        var identity = new InstanceIdentity();
        var options = new InstanceOptions { LeaseDuration = Duration, TakeOverFromDeadLocalHolders = takeOverFromDeadLocalHolders };
        return (new WorkLeases(Store, identity, Options.Create(options), _clock, NullLogger<WorkLeases>.Instance), identity.Id);
    }

    /// <summary>A follower's loop in miniature: runs until told to stop, and says when it starts and stops.</summary>
    private async Task WorkAsync(string who, CancellationToken cancellationToken)
    {
        Record($"{who} started");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        finally
        {
            Record($"{who} stopped");
        }
    }

    private void Record(string what)
    {
        _events.Enqueue(what);
        _changed.Release();
    }

    private async Task WaitForEventsAsync(string[] expected)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (_events.Count < expected.Length)
        {
            await _changed.WaitAsync(deadline.Token);
        }
        Assert.Equal(expected, _events);
    }

    /// <summary>Moves the fake clock on a second at a time, each time giving the runners up to 200 ms to act, until <paramref name="condition"/> holds.</summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            for (var i = 0; i < 20 && !await condition(); i++)
            {
                await Task.Delay(10, deadline.Token);
            }
        }
    }
}
