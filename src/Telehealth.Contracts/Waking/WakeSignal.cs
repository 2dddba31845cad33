namespace Telehealth.Contracts.Waking;

/// <summary>
/// Wakes a background loop as soon as there is work, instead of at its next poll. Take <see cref="Next"/> before
/// looking for work and wait on it after finding none, so a signal that arrives in between is never missed.
/// </summary>
public sealed class WakeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next
    {
        get
        {
            lock (_lock)
            {
                return _next.Task;
            }
        }
    }

    public void Notify()
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    /// <summary>Waits for <paramref name="next"/> (taken from <see cref="Next"/>) or the poll interval, whichever is first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan pollInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(pollInterval, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The poll: nothing was signalled here, but another instance or a retry may have made work.
        }
    }
}
