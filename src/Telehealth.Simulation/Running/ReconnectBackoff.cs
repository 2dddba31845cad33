namespace Telehealth.Simulation.Running;

/// <summary>
/// Exponential backoff with ±20% jitter, so hundreds of devices dropped by one broker restart do not all knock on
/// its door in the same millisecond.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan maximum, Random jitter)
{
    private int _failures;

    public TimeSpan NextDelay()
    {
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        var capped = Math.Min(exponential, maximum.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * jitter.NextDouble()));
    }

    public void Reset() => _failures = 0;
}
