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

    /// <summary>
    /// Waits for <paramref name="next"/> (taken from <see cref="Next"/>) or the poll interval, whichever is first;
    /// throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <remarks>
    /// Not <c>next.WaitAsync(pollInterval)</c>: that ends every quiet poll in a thrown and caught TimeoutException, 20 to
    /// 40 a second in an idle platform (several loops, each polling several times a second).
    /// </remarks>
    public static async Task WaitAsync(Task next, TimeSpan pollInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!next.IsCompleted)
        {
            using var pollOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(pollInterval, time, pollOver.Token);
            await Task.WhenAny(next, poll).ConfigureAwait(false);
            // Signalled first: the poll's timer is not needed any more. Its task ends cancelled, unobserved by design.
            await pollOver.CancelAsync().ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
