using Microsoft.Extensions.Logging;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Decorates the device registry so a newly registered device (API or demo) is queued as a FHIR Device, in the
/// order of its patient's record. A failure to queue is logged; the writer queues devices with the first data.
/// </summary>
public sealed partial class FhirOutboxDeviceRegistry(
    IDeviceRegistry inner,
    IFhirOutbox outbox,
    FhirMapper mapper,
    ILogger<FhirOutboxDeviceRegistry> logger) : IDeviceRegistry
{
    public async Task<DeviceRegistration> RegisterAsync(
        string patientId, DeviceType type, DeviceDetails? details = null, string? provisionedBy = null, CancellationToken cancellationToken = default)
    {
        var registration = await inner.RegisterAsync(patientId, type, details, provisionedBy, cancellationToken);
        var device = registration.Device;
        try
        {
            await outbox.EnqueueAsync([FhirOutboxItems.Create(device.PatientId, mapper.ToDevice(device))], cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogQueueFailed(device.DeviceId, device.PatientId, exception);
        }
        return registration;
    }

    public Task<string?> RotateSecretAsync(string deviceId, CancellationToken cancellationToken = default) => inner.RotateSecretAsync(deviceId, cancellationToken);

    public Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken = default) => inner.GetAsync(deviceId, cancellationToken);

    public Task<DeviceRecord?> AuthenticateAsync(string deviceId, string secret, CancellationToken cancellationToken = default) =>
        inner.AuthenticateAsync(deviceId, secret, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListAsync(string? patientId = null, CancellationToken cancellationToken = default) => inner.ListAsync(patientId, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListForTeamAsync(string teamId, CancellationToken cancellationToken = default) => inner.ListForTeamAsync(teamId, cancellationToken);

    public Task RecordHeartbeatAsync(string deviceId, DeviceHeartbeat heartbeat, CancellationToken cancellationToken = default) =>
        inner.RecordHeartbeatAsync(deviceId, heartbeat, cancellationToken);

    public async Task<DeviceChangeResult> RevokeAsync(string deviceId, CancellationToken cancellationToken = default) =>
        await RequeueAsync(deviceId, await inner.RevokeAsync(deviceId, cancellationToken), cancellationToken);

    private async Task<DeviceChangeResult> RequeueAsync(string deviceId, DeviceChangeResult result, CancellationToken cancellationToken)
    {
        if (result != DeviceChangeResult.Done || await inner.GetAsync(deviceId, cancellationToken) is not { } device)
        {
            return result;
        }
        try
        {
            await outbox.EnqueueAsync([FhirOutboxItems.Create(device.PatientId, mapper.ToDevice(device))], cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogQueueFailed(device.DeviceId, device.PatientId, exception);
        }
        return result;
    }

    // The FHIR Device follows the device's person and state (Observations name the person at their own time).
    public async Task<DeviceChangeResult> AssignAsync(string deviceId, string patientId, CancellationToken cancellationToken = default) =>
        await RequeueAsync(deviceId, await inner.AssignAsync(deviceId, patientId, cancellationToken), cancellationToken);

    public async Task<DeviceChangeResult> RetrieveAsync(string deviceId, CancellationToken cancellationToken = default) =>
        await RequeueAsync(deviceId, await inner.RetrieveAsync(deviceId, cancellationToken), cancellationToken);

    public Task<DeviceAssignments> GetAssignmentsAsync(string deviceId, CancellationToken cancellationToken = default) =>
        inner.GetAssignmentsAsync(deviceId, cancellationToken);

    public Task<bool> UpdateDetailsAsync(string deviceId, DeviceDetails details, CancellationToken cancellationToken = default) =>
        inner.UpdateDetailsAsync(deviceId, details, cancellationToken);

    public Task<IReadOnlyList<BrokerAccount>> ListBrokerAccountsAsync(CancellationToken cancellationToken = default) =>
        inner.ListBrokerAccountsAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Device {DeviceId} of patient {PatientId} is registered but could not be queued as FHIR")]
    private partial void LogQueueFailed(string deviceId, string patientId, Exception exception);
}
