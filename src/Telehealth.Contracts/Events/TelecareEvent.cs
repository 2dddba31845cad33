namespace Telehealth.Contracts.Events;

/// <summary>A telecare event from a home device (pendant, fall detector, environmental sensor...).</summary>
public sealed record TelecareEvent(
    string DeviceId,
    string PatientId,
    TelecareEventType Type,
    DateTimeOffset DeviceTime,
    DateTimeOffset ReceivedAt);
