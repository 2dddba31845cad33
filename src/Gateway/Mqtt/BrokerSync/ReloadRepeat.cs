namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// mosquitto 2.0's SIGHUP handler only sets a flag, and its loop clears that flag when a reload ends (src/loop.c): a
/// SIGHUP that arrives while mosquitto is reloading for an earlier one (a pass right after another) is lost, and the
/// accounts written for it would wait for the next pass, up to the resync interval — a new device refused meanwhile, a
/// revoked one still connected. So the signal of a pass is sent once more <see cref="Delay"/> later, unless another
/// pass (with its own signal) comes first. A reload of unchanged files changes nothing, so the repeat is harmless.
/// </summary>
public sealed class ReloadRepeat
{
    /// <summary>Long after mosquitto has acted on the first signal (it takes signals at least every 100 ms).</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private bool _due;
    private bool _waitingForRepeat;

    /// <summary>A pass ended; only a signal that was sent is repeated.</summary>
    public void AfterPass(ReloadSignal outcome) => _due = outcome == ReloadSignal.Sent;

    /// <summary>How long to wait for a change, given how long the next pass is away.</summary>
    public TimeSpan Wait(TimeSpan untilNextPass)
    {
        // A pass due no later than the repeat signals anyway.
        _waitingForRepeat = _due && Delay < untilNextPass;
        return _waitingForRepeat ? Delay : untilNextPass;
    }

    /// <summary>
    /// After a wait of <see cref="Wait"/>: true when it ended without a change while waiting for the repeat, so the
    /// signal is sent again now instead of a pass; false when a pass is due (a change, or the next pass's time).
    /// </summary>
    public bool TakeDue(bool changed)
    {
        var repeatNow = _waitingForRepeat && !changed;
        _due = false;
        _waitingForRepeat = false;
        return repeatNow;
    }
}
