using Microsoft.Extensions.Logging;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Running;
using Telehealth.Simulation.Scenarios;
using Telehealth.Simulation.Transports;

namespace Telehealth.Simulation;

/// <summary>Runs every device of one home, each on its own connection with its own credentials.</summary>
public sealed class HomeSimulator(
    SimulatedHome home,
    SimulationOptions options,
    IDeviceTransportFactory transports,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then disconnects every device and returns
    /// normally. <paramref name="simulationStart"/> is scenario time zero, shared by all homes of a run.
    /// </summary>
    public async Task RunAsync(DateTimeOffset simulationStart, CancellationToken cancellationToken)
    {
        var script = new ScenarioScript(home.Scenario);
        var generator = new VitalSignGenerator(options.Seed);
        SimulationLog.HomeStarted(logger, home.Label, home.Devices.Count);
        var sessions = home.Devices.Select(device => RunDeviceAsync(device, script, generator, simulationStart, cancellationToken));
        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private async Task RunDeviceAsync(
        SimulatedDevice device,
        ScenarioScript script,
        VitalSignGenerator generator,
        DateTimeOffset simulationStart,
        CancellationToken cancellationToken)
    {
        // Yield first so one home's devices start side by side rather than one after another.
        await Task.Yield();
        try
        {
            var transport = transports.Create(device);
            var session = new DeviceSession(device, script, generator, options, transport, time, simulationStart, logger);
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // One broken device must not stop the rest of the caseload.
            SimulationLog.DeviceFailed(logger, device.DeviceId, exception);
        }
    }
}
