namespace Telehealth.CareRecord.Devices;

/// <summary>
/// One period in which a device was with one person: from <see cref="From"/> (inclusive) to <see cref="To"/>
/// (exclusive; null while it still is). The first assignment of a device has no start (<see cref="From"/> null):
/// readings a new device made before it was registered (its clock may lag, or it measured while being set up in
/// the home) belong to its first person, as nobody else ever had it through the platform.
/// </summary>
public sealed record DeviceAssignment(string DeviceId, string PatientId, DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Covers(DateTimeOffset at) => (From is null || at >= From) && (To is null || at < To);
}
