using Microsoft.Extensions.Time.Testing;

namespace Telehealth.Tests.Simulation;

/// <summary>
/// A fake clock that also says when code starts waiting on it. The device loop creates one timer each time it goes
/// idle, so "a timer was created" means "it has done everything due and is waiting": the test can then advance time
/// without racing the loop, and without sleeping.
/// </summary>
internal sealed class SignallingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _inner = new(start);
    private readonly SemaphoreSlim _timersCreated = new(0);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        _timersCreated.Release();
        return timer;
    }

    public void Advance(TimeSpan by) => _inner.Advance(by);

    /// <summary>Waits until <paramref name="count"/> more timers were created (one per idle device loop).</summary>
    public async Task WaitUntilIdleAsync(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _timersCreated.WaitAsync(WaitLimit), "The simulation did not go idle in time.");
        }
    }

    /// <summary>Advances, then waits until the loops woken by it are idle again.</summary>
    public async Task AdvanceAndSettleAsync(TimeSpan by, int loops = 1)
    {
        Advance(by);
        await WaitUntilIdleAsync(loops);
    }

    public int UnconsumedTimerSignals => _timersCreated.CurrentCount;
}
