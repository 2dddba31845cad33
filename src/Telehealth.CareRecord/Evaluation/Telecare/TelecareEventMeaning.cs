using Telehealth.Contracts.Events;

namespace Telehealth.CareRecord.Evaluation.Telecare;

/// <summary>
/// What each telecare event means for an alert: its severity and its words (<see cref="TelecareEventAlertRule"/>).
/// Telecare events are one-off (instantaneous) findings. A person asking for help, a fall or a household
/// hazard is an immediate red flag; inactivity may mean a fall nobody saw; wandering is a concern; device
/// faults matter because the safety net itself is weakened.
/// </summary>
public static class TelecareEventMeaning
{
    public static AlertSeverity SeverityOf(TelecareEventType type) => type switch
    {
        TelecareEventType.PendantPress or TelecareEventType.FallDetected or TelecareEventType.Smoke
            or TelecareEventType.CarbonMonoxide or TelecareEventType.Flood => AlertSeverity.Critical,
        TelecareEventType.Inactivity => AlertSeverity.High,
        TelecareEventType.DoorExit or TelecareEventType.BedAbsence => AlertSeverity.Medium,
        TelecareEventType.LowBattery or TelecareEventType.Tamper or TelecareEventType.PowerFail => AlertSeverity.Low,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No alert severity defined for this event."),
    };

    /// <summary>What staff read: "Pendant alarm pressed", "Fall detected"…</summary>
    public static string Describe(TelecareEventType type) => type switch
    {
        TelecareEventType.PendantPress => "Pendant alarm pressed",
        TelecareEventType.FallDetected => "Fall detected",
        TelecareEventType.Smoke => "Smoke alarm",
        TelecareEventType.CarbonMonoxide => "Carbon monoxide alarm",
        TelecareEventType.Flood => "Flood detected",
        TelecareEventType.Inactivity => "No expected activity",
        TelecareEventType.DoorExit => "Door exit",
        TelecareEventType.BedAbsence => "Out of bed longer than expected",
        TelecareEventType.LowBattery => "Device battery low",
        TelecareEventType.Tamper => "Device tampered with",
        TelecareEventType.PowerFail => "Mains power failed",
        _ => type.WireName(),
    };
}
