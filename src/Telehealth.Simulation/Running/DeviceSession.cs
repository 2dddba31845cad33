using Microsoft.Extensions.Logging;
using Telehealth.Contracts.Devices;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Payloads;
using Telehealth.Simulation.Scenarios;
using Telehealth.Simulation.Transports;

namespace Telehealth.Simulation.Running;

/// <summary>
/// One device's life: measure and heartbeat on schedule, hold messages while the broker is away, reconnect with
/// backoff, and send what it holds in order once back. Single-threaded per device, so it needs no locks; all waiting
/// goes through the <see cref="TimeProvider"/> so tests drive it with a fake clock.
/// </summary>
internal sealed class DeviceSession(
    SimulatedDevice device,
    ScenarioScript script,
    VitalSignGenerator generator,
    SimulationOptions options,
    IDeviceTransport transport,
    TimeProvider time,
    DateTimeOffset simulationStart,
    ILogger logger)
{
    private static readonly TimeSpan DisconnectGrace = TimeSpan.FromSeconds(2);

    private readonly Queue<DeviceMessage> _pending = new();
    private readonly ReconnectBackoff _backoff = new(
        options.ReconnectInitialDelay,
        options.ReconnectMaxDelay,
        new Random((int)(DeterministicNoise.Uniform(options.Seed, "backoff:" + device.DeviceId) * int.MaxValue)));

    private TimeSpan _eventsCheckedUntil = TimeSpan.MinValue;
    private bool _wasConnected;
    private bool _hasConnectedBefore;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Spread devices over the interval so a caseload does not publish in one burst.
        var stagger = options.ReadingInterval * DeterministicNoise.Uniform(options.Seed, device.DeviceId);
        var nextMeasurement = simulationStart + stagger;
        var nextHeartbeat = nextMeasurement;
        var nextConnectAttempt = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                if (now >= nextMeasurement)
                {
                    EnqueueMeasurement(now);
                    nextMeasurement = NextOccurrence(nextMeasurement, options.ReadingInterval, now);
                }
                if (now >= nextHeartbeat)
                {
                    Enqueue(new DeviceMessage(
                        DeviceTopics.Status(device.DeviceId),
                        DevicePayloadWriter.Status(generator.BatteryPercentAt(device.DeviceId, ScenarioElapsed(now)), now),
                        AtLeastOnce: false));
                    nextHeartbeat = NextOccurrence(nextHeartbeat, options.HeartbeatInterval, now);
                }

                NoticeLostConnection();
                if (!transport.IsConnected && now >= nextConnectAttempt)
                {
                    var outcome = await transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (outcome == ConnectOutcome.Connected)
                    {
                        OnConnected();
                    }
                    else
                    {
                        var retryIn = _backoff.NextDelay();
                        nextConnectAttempt = time.GetUtcNow() + retryIn;
                        SimulationLog.ConnectFailed(logger, device.DeviceId, outcome, retryIn);
                    }
                }

                if (transport.IsConnected && !await SendPendingAsync(cancellationToken).ConfigureAwait(false))
                {
                    NoticeLostConnection();
                    nextConnectAttempt = time.GetUtcNow() + _backoff.NextDelay();
                }

                var wakeAt = Min(nextMeasurement, nextHeartbeat);
                if (!transport.IsConnected)
                {
                    wakeAt = Min(wakeAt, nextConnectAttempt);
                }
                var wait = wakeAt - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out, whatever the client throws on the way: a publish waiting for its PUBACK as
            // the broker stops (the demo's embedded one stops with the simulation) can end in MQTTnet's own timeout
            // rather than a cancellation.
        }
        finally
        {
            using var grace = new CancellationTokenSource(DisconnectGrace);
            await transport.DisconnectAsync(grace.Token).ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Scenario time: real time since the simulation started, accelerated.</summary>
    private TimeSpan ScenarioElapsed(DateTimeOffset now) => (now - simulationStart) * options.TimeAcceleration;

    private void EnqueueMeasurement(DateTimeOffset now)
    {
        var elapsed = ScenarioElapsed(now);
        var readings = generator.ReadingsAt(script, device, elapsed);
        if (readings.Count > 0)
        {
            Enqueue(new DeviceMessage(
                DeviceTopics.Readings(device.DeviceId),
                DevicePayloadWriter.Readings(device.DeviceId, now, readings),
                AtLeastOnce: true));
        }

        var raised = device.Type.RaisedEvents();
        if (raised.Count > 0)
        {
            foreach (var scripted in script.EventsBetween(_eventsCheckedUntil, elapsed))
            {
                if (!raised.Contains(scripted.Type))
                {
                    continue;
                }
                // The event's own real time, not the tick that noticed it: the device knows when it happened.
                var happenedAt = simulationStart + scripted.At / options.TimeAcceleration;
                Enqueue(new DeviceMessage(
                    DeviceTopics.Events(device.DeviceId),
                    DevicePayloadWriter.Event(scripted.Type, happenedAt < now ? happenedAt : now),
                    AtLeastOnce: true));
            }
        }
        _eventsCheckedUntil = elapsed;
    }

    private void Enqueue(DeviceMessage message)
    {
        if (_pending.Count >= options.PendingMessageLimit)
        {
            _pending.Dequeue();
            SimulationLog.PendingMessageDropped(logger, device.DeviceId);
        }
        _pending.Enqueue(message);
    }

    /// <summary>Sends held messages oldest first; false when the connection went away (the message stays held).</summary>
    private async Task<bool> SendPendingAsync(CancellationToken cancellationToken)
    {
        while (_pending.TryPeek(out var message))
        {
            var outcome = await transport.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case PublishOutcome.Delivered:
                    _pending.Dequeue();
                    break;
                case PublishOutcome.Rejected:
                    // Resending would be refused again and block everything behind it.
                    _pending.Dequeue();
                    SimulationLog.PublishRejected(logger, device.DeviceId, message.Topic);
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private void OnConnected()
    {
        _backoff.Reset();
        _wasConnected = true;
        if (_hasConnectedBefore)
        {
            SimulationLog.DeviceReconnected(logger, device.DeviceId);
        }
        else
        {
            SimulationLog.DeviceConnected(logger, device.DeviceId);
        }
        _hasConnectedBefore = true;
    }

    private void NoticeLostConnection()
    {
        if (_wasConnected && !transport.IsConnected)
        {
            _wasConnected = false;
            SimulationLog.ConnectionLost(logger, device.DeviceId, _pending.Count);
        }
    }

    private static DateTimeOffset NextOccurrence(DateTimeOffset previous, TimeSpan interval, DateTimeOffset now)
    {
        var next = previous + interval;
        // After a stall (a slow connect, a suspended laptop) skip the missed ticks instead of bursting them out.
        return next > now ? next : now + interval;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
