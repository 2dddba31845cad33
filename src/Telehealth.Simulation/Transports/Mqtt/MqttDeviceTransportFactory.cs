using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Transports.Mqtt;

/// <summary>Creates one MQTTnet client per device, each authenticating with its own device id and secret.</summary>
public sealed class MqttDeviceTransportFactory(SimulationOptions options) : IDeviceTransportFactory
{
    public IDeviceTransport Create(SimulatedDevice device) => new MqttDeviceTransport(device, options);
}
