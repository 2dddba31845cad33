using Telehealth.Contracts.Events;

namespace Telehealth.Fhir.Mapping;

/// <summary>Display names of telecare events and which of them describe the person's own activity.</summary>
internal static class TelecareEventLabels
{
    public static string Display(TelecareEventType type) => type switch
    {
        TelecareEventType.PendantPress => "Pendant alarm pressed",
        TelecareEventType.FallDetected => "Fall detected",
        TelecareEventType.Smoke => "Smoke alarm",
        TelecareEventType.CarbonMonoxide => "Carbon monoxide alarm",
        TelecareEventType.Flood => "Flood detected",
        TelecareEventType.DoorExit => "Door exit",
        TelecareEventType.BedAbsence => "Out of bed longer than expected",
        TelecareEventType.Inactivity => "No expected activity",
        TelecareEventType.LowBattery => "Device battery low",
        TelecareEventType.Tamper => "Device tampered with",
        TelecareEventType.PowerFail => "Mains power failed",
        _ => type.WireName(),
    };

    /// <summary>
    /// Events about how the person moves (falls, leaving the door or bed, no activity) also carry the HL7 category
    /// "activity"; alarms about the home (smoke, flood…) or the equipment fit no HL7 category and carry only ours.
    /// </summary>
    public static bool IsPersonActivity(TelecareEventType type) =>
        type is TelecareEventType.FallDetected or TelecareEventType.DoorExit or TelecareEventType.BedAbsence or TelecareEventType.Inactivity;
}
