namespace Telehealth.Contracts.Waking;

/// <summary>The alert store's nudge to the event followers after it recorded events in this process.</summary>
public sealed class AlertEventSignal
{
    public WakeSignal Signal { get; } = new();

    public void Notify() => Signal.Notify();
}
