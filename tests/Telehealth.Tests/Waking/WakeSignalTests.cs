using Microsoft.Extensions.Time.Testing;
using Telehealth.Contracts.Waking;

namespace Telehealth.Tests.Waking;

/// <summary>
/// The background loops' wait (fake clock): a signal ends it at once, the poll interval otherwise, cancellation throws,
/// and a quiet poll ends without an exception thrown (it used to throw and catch a TimeoutException at every poll).
/// </summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    // Marks the exceptions thrown on this test's own flow: tests run in parallel and throw their own.
    private static readonly AsyncLocal<bool> InThisTest = new();

    [Fact]
    public async Task A_signal_ends_the_wait_before_the_poll()
    {
        var time = new FakeTimeProvider();
        var signal = new WakeSignal();
        var waiting = WakeSignal.WaitAsync(signal.Next, Poll, time, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        signal.Notify();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Without_a_signal_the_wait_ends_at_the_poll_interval_and_throws_nothing_on_the_way()
    {
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (InThisTest.Value)
            {
                Interlocked.Increment(ref thrown);
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            InThisTest.Value = true;
            var time = new FakeTimeProvider();
            var waiting = WakeSignal.WaitAsync(new WakeSignal().Next, Poll, time, CancellationToken.None);

            time.Advance(Poll - TimeSpan.FromMilliseconds(1));
            Assert.False(waiting.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(1));

            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, Volatile.Read(ref thrown));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_with_an_operation_cancelled()
    {
        using var stopping = new CancellationTokenSource();
        var waiting = WakeSignal.WaitAsync(new WakeSignal().Next, Poll, new FakeTimeProvider(), stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_signal_taken_before_it_fired_ends_a_later_wait_at_once()
    {
        var signal = new WakeSignal();
        var next = signal.Next;
        signal.Notify(); // between looking for work and waiting

        await WakeSignal.WaitAsync(next, Poll, new FakeTimeProvider(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
