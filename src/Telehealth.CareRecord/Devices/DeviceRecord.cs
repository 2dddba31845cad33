namespace Telehealth.CareRecord.Devices;

/// <summary>
/// A registered device. The secret itself is never stored, only its hash. <see cref="PatientId"/> is the person it is
/// assigned to now, or, once retrieved, the person who had it last (so staff of that team still see it);
/// which person a reading belongs to is decided by the assignment history at the reading's own time
/// (<see cref="DeviceAssignment"/>), never by this field.
/// </summary>
public sealed record DeviceRecord(
    string DeviceId,
    string PatientId,
    DeviceType Type,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastSeenAt,
    int? BatteryPercent)
{
    /// <summary>False once the equipment has been collected (retrieved) and not issued again.</summary>
    public bool IsAssigned { get; init; } = true;

    /// <summary>Set when staff revoked the device: its credentials no longer work and its messages are refused.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    public DeviceDetails Details { get; init; } = DeviceDetails.None;

    /// <summary>Device clock minus the platform's, from the last status that carried a time; null when never measured.</summary>
    public TimeSpan? ClockOffset { get; init; }

    /// <summary>Who created it ("demo", or null for staff and the API), so a provisioner touches only its own devices.</summary>
    public string? ProvisionedBy { get; init; }
}
