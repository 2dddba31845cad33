namespace Telehealth.Contracts.Events;

/// <summary>Telecare events of device API v1. Wire names are snake_case (pendant_press, fall_detected, ...).</summary>
public enum TelecareEventType
{
    PendantPress,
    FallDetected,
    Smoke,
    CarbonMonoxide,
    Flood,
    DoorExit,
    BedAbsence,
    Inactivity,
    LowBattery,
    Tamper,
    PowerFail,
}
