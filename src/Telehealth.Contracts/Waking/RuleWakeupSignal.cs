namespace Telehealth.Contracts.Waking;

/// <summary>The alert store's nudge to the wake-up scheduler after it recorded wake-ups in this process.</summary>
public sealed class RuleWakeupSignal
{
    public WakeSignal Signal { get; } = new();

    public void Notify() => Signal.Notify();
}
