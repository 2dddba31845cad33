namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Bounds how many password hashes run at once and how many wait, so sign-in traffic (honest or not) cannot take every
/// core from device acknowledgements and /health. A request beyond the queue is turned away at once, never queued.
/// </summary>
public sealed class PasswordHashGate(SignInOptions options)
{
    private readonly SemaphoreSlim _running = new(options.MaxConcurrentHashes, options.MaxConcurrentHashes);
    private int _admitted;

    /// <summary>Runs <paramref name="work"/> when a slot is free; false (work not run) when the queue is full.</summary>
    public async Task<(bool Ran, T Result)> TryRunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interlocked.Increment(ref _admitted) > options.MaxConcurrentHashes + options.MaxQueuedHashes)
        {
            Interlocked.Decrement(ref _admitted);
            return (false, default!);
        }
        try
        {
            await _running.WaitAsync(cancellationToken);
            try
            {
                return (true, work());
            }
            finally
            {
                _running.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
