using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Running;
using Telehealth.Simulation.Transports;
using Telehealth.Simulation.Transports.Mqtt;

namespace Telehealth.Simulation;

/// <summary>
/// Runs a caseload of simulated homes against a broker. Usable in-process (the platform's demo mode) or from the
/// device-sim console. Every device gets its own transport, and so its own broker credentials.
/// </summary>
public sealed class SimulationRunner
{
    private readonly SimulationOptions _options;
    private readonly IDeviceTransportFactory _transports;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SimulationRunner(SimulationOptions options, IDeviceTransportFactory transports, TimeProvider time, ILogger<SimulationRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transports = transports;
        _time = time;
        _logger = logger;
    }

    /// <summary>A runner publishing over MQTT (MQTTnet) to <see cref="SimulationOptions.BrokerHost"/>.</summary>
    public static SimulationRunner ForMqtt(SimulationOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null) =>
        new(options,
            new MqttDeviceTransportFactory(options),
            time ?? TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SimulationRunner>());

    /// <summary>
    /// Runs every home until <paramref name="cancellationToken"/> is cancelled, then disconnects every device and
    /// completes normally (no <see cref="OperationCanceledException"/>). Scenario time starts now.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<SimulatedHome> homes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(homes);
        var start = _time.GetUtcNow();
        SimulationLog.SimulationStarted(_logger, homes.Count, homes.Sum(h => h.Devices.Count), _options.TimeAcceleration);
        var running = homes.Select(home =>
            new HomeSimulator(home, _options, _transports, _time, _logger).RunAsync(start, cancellationToken));
        await Task.WhenAll(running).ConfigureAwait(false);
        SimulationLog.SimulationStopped(_logger);
    }
}
