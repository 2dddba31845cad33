using Telehealth.Simulation.Model;
using Telehealth.Simulation.Transports;

namespace Telehealth.Tests.Simulation;

/// <summary>A broker connection that answers as scripted and records what was sent.</summary>
internal sealed class FakeDeviceTransport(SimulatedDevice device) : IDeviceTransport
{
    private readonly object _gate = new();
    private readonly List<DeviceMessage> _attempted = [];
    private readonly List<DeviceMessage> _delivered = [];

    public SimulatedDevice Device { get; } = device;

    /// <summary>Outcomes of the next connect attempts; once empty, connecting succeeds.</summary>
    public Queue<ConnectOutcome> ConnectOutcomes { get; } = new();

    /// <summary>Outcomes of the next publishes; once empty, publishing succeeds.</summary>
    public Queue<PublishOutcome> PublishOutcomes { get; } = new();

    public bool IsConnected { get; private set; }
    public int ConnectAttempts { get; private set; }
    public int DisconnectCalls { get; private set; }
    public bool Disposed { get; private set; }

    public IReadOnlyList<DeviceMessage> Attempted { get { lock (_gate) { return _attempted.ToList(); } } }
    public IReadOnlyList<DeviceMessage> Delivered { get { lock (_gate) { return _delivered.ToList(); } } }

    /// <summary>The broker goes away.</summary>
    public void Drop() => IsConnected = false;

    public Task<ConnectOutcome> ConnectAsync(CancellationToken cancellationToken)
    {
        ConnectAttempts++;
        var outcome = ConnectOutcomes.TryDequeue(out var scripted) ? scripted : ConnectOutcome.Connected;
        IsConnected = outcome == ConnectOutcome.Connected;
        return Task.FromResult(outcome);
    }

    private TaskCompletionSource? _publishHeld;

    /// <summary>
    /// From now on a publish waits for a PUBACK that never comes, and when the session stops it fails as MQTTnet's
    /// client can then, with its own timeout rather than a cancellation. Completes once a publish is held.
    /// </summary>
    public Task HoldPublishes()
    {
        _publishHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _publishHeld.Task;
    }

    private async Task<PublishOutcome> HeldPublishAsync(TaskCompletionSource held, CancellationToken cancellationToken)
    {
        held.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The operation has timed out.");
        }
        return PublishOutcome.Delivered;
    }

    public Task<PublishOutcome> PublishAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        if (_publishHeld is { } held && IsConnected)
        {
            lock (_gate)
            {
                _attempted.Add(message);
            }
            return HeldPublishAsync(held, cancellationToken);
        }
        lock (_gate)
        {
            _attempted.Add(message);
            var outcome = !IsConnected ? PublishOutcome.NotConnected
                : PublishOutcomes.TryDequeue(out var scripted) ? scripted
                : PublishOutcome.Delivered;
            if (outcome == PublishOutcome.Delivered)
            {
                _delivered.Add(message);
            }
            return Task.FromResult(outcome);
        }
    }

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        DisconnectCalls++;
        IsConnected = false;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
