namespace Telehealth.Contracts.Readings;

/// <summary>
/// One accepted vital-sign measurement in canonical units. Identity is (DeviceId, Kind, DeviceTime):
/// a repeat of the same three is the same reading, never a second one.
/// </summary>
/// <param name="DeviceTime">The time the device says it measured, kept as sent (UTC).</param>
/// <param name="ReceivedAt">When the platform accepted it.</param>
public sealed record Reading(
    string DeviceId,
    string PatientId,
    VitalKind Kind,
    double Value,
    DateTimeOffset DeviceTime,
    DateTimeOffset ReceivedAt)
{
    public string Unit => Kind.CanonicalUnit();
}
