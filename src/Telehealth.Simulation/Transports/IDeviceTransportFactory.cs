using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Transports;

public interface IDeviceTransportFactory
{
    IDeviceTransport Create(SimulatedDevice device);
}
