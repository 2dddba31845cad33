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

    /// <summary>An ACVPU assessment (staff or device): NEWS2 is re-scored with it at once, not at the next reading.</summary>
    Consciousness,

    /// <summary>
    /// Something the rules depend on changed in the care record (NEWS2 care settings, the monitoring plan):
    /// every rule of the person is woken, so a new expectation is scheduled and NEWS2 re-scored without waiting for data.
    /// </summary>
    Reassess,
}
