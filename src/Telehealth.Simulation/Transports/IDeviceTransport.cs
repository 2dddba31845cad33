namespace Telehealth.Simulation.Transports;

/// <summary>
/// One device's connection to the broker with its own credentials. Failures come back as outcomes, not exceptions,
/// so the device loop can decide to back off; only cancellation throws.
/// </summary>
public interface IDeviceTransport : IAsyncDisposable
{
    bool IsConnected { get; }

    Task<ConnectOutcome> ConnectAsync(CancellationToken cancellationToken);

    Task<PublishOutcome> PublishAsync(DeviceMessage message, CancellationToken cancellationToken);

    /// <summary>Disconnects politely if connected; never throws for a connection that is already gone.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}
