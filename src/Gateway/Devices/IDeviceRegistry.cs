namespace Telehealth.Gateway.Devices;

public interface IDeviceRegistry
{
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<DeviceRegistration> RegisterAsync(string patientId, DeviceType type, CancellationToken cancellationToken = default);

    /// <summary>Issues a new secret; the old one stops working at once.</summary>
    Task<string?> RotateSecretAsync(string deviceId, CancellationToken cancellationToken = default);

    Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>The device when the secret is its current one; null for an unknown device or a wrong secret.</summary>
    Task<DeviceRecord?> AuthenticateAsync(string deviceId, string secret, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeviceRecord>> ListAsync(string? patientId = null, CancellationToken cancellationToken = default);

    Task RecordHeartbeatAsync(string deviceId, DateTimeOffset seenAt, int? batteryPercent, CancellationToken cancellationToken = default);
}
