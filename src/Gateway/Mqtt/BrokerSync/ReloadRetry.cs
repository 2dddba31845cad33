namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// When a pass could not make the broker reload, the next pass comes after 1 s, 2 s, 4 s … (never later than the
/// resync interval) instead of after the whole interval: otherwise a registration made while the broker was starting
/// stays unknown to it for minutes, and a device it refuses meanwhile looks like a bad secret.
/// </summary>
public sealed class ReloadRetry(TimeSpan resyncInterval)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private TimeSpan? _nextRetry;

    /// <summary>How long to wait for a change before the next pass.</summary>
    public TimeSpan NextWait => _nextRetry ?? resyncInterval;

    public void Record(ReloadSignal outcome)
    {
        _nextRetry = outcome is ReloadSignal.NoPid or ReloadSignal.Failed
            ? Min(_nextRetry is { } previous ? previous * 2 : FirstRetry, resyncInterval)
            : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
