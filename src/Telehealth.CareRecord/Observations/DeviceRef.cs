namespace Telehealth.CareRecord.Observations;

/// <summary>
/// A device as the care record names it in findings: its id and its type's wire name (e.g. <c>pulse_oximeter</c>,
/// <c>telecare_hub</c>). The type is a string because device types are owned by the gateway's registry.
/// </summary>
public sealed record DeviceRef(string DeviceId, string DeviceType);
