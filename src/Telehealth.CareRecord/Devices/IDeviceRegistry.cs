namespace Telehealth.CareRecord.Devices;

public interface IDeviceRegistry
{
    /// <summary>Registers a device assigned to <paramref name="patientId"/>; the result holds its secret, shown once.</summary>
    Task<DeviceRegistration> RegisterAsync(
        string patientId, DeviceType type, DeviceDetails? details = null, string? provisionedBy = null, CancellationToken cancellationToken = default);

    /// <summary>Issues a new secret; the old one stops working at once. Null for an unknown or revoked device.</summary>
    Task<string?> RotateSecretAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Revokes the device for good: its secret stops working and its messages are refused (<c>device_revoked</c>).</summary>
    Task<DeviceChangeResult> RevokeAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Gives the device to <paramref name="patientId"/> from now on; the previous assignment ends now.</summary>
    Task<DeviceChangeResult> AssignAsync(string deviceId, string patientId, CancellationToken cancellationToken = default);

    /// <summary>The equipment was collected: the current assignment ends now and the device belongs to nobody.</summary>
    Task<DeviceChangeResult> RetrieveAsync(string deviceId, CancellationToken cancellationToken = default);

    Task<DeviceAssignments> GetAssignmentsAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Sets the given (non-null) fields of the device's model, serial and firmware.</summary>
    Task<bool> UpdateDetailsAsync(string deviceId, DeviceDetails details, CancellationToken cancellationToken = default);

    Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>The device when the secret is its current one; null for an unknown device or a wrong secret.</summary>
    Task<DeviceRecord?> AuthenticateAsync(string deviceId, string secret, CancellationToken cancellationToken = default);

    /// <summary>Devices whose current (or, once retrieved, last) person is <paramref name="patientId"/>; all when null.</summary>
    Task<IReadOnlyList<DeviceRecord>> ListAsync(string? patientId = null, CancellationToken cancellationToken = default);

    /// <summary>The devices of <paramref name="teamId"/>'s patients (as <see cref="ListAsync"/> attributes them), the team chosen in the query.</summary>
    Task<IReadOnlyList<DeviceRecord>> ListForTeamAsync(string teamId, CancellationToken cancellationToken = default);

    /// <summary>A status message: last heard, and what it reported (battery, firmware, the device clock's offset).</summary>
    Task RecordHeartbeatAsync(string deviceId, DeviceHeartbeat heartbeat, CancellationToken cancellationToken = default);

    /// <summary>Accounts for an external broker: every device not revoked, with its secret hashed in mosquitto's format.</summary>
    Task<IReadOnlyList<BrokerAccount>> ListBrokerAccountsAsync(CancellationToken cancellationToken = default);
}
