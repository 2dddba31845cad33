namespace Telehealth.Contracts.Evaluation;

/// <summary>What a due evaluation is about.</summary>
public enum DueItemKind
{
    Reading,
    TelecareEvent,

    /// <summary>A device status (heartbeat, battery, declared interval).</summary>
    DeviceStatus,

    /// <summary>A rule asked to be woken at a time (a deadline, a duration, NEWS2 ageing): evaluation without data.</summary>
    Timer,
}
