using System.Collections.Concurrent;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Transports;

namespace Telehealth.Tests.Simulation;

internal sealed class FakeDeviceTransportFactory : IDeviceTransportFactory
{
    private readonly ConcurrentDictionary<string, FakeDeviceTransport> _created = new();

    /// <summary>Transports prepared before the run, so a test can script them.</summary>
    public FakeDeviceTransport Prepare(SimulatedDevice device) => _created.GetOrAdd(device.DeviceId, _ => new FakeDeviceTransport(device));

    public IReadOnlyDictionary<string, FakeDeviceTransport> Created => _created;

    public IDeviceTransport Create(SimulatedDevice device) => Prepare(device);
}
