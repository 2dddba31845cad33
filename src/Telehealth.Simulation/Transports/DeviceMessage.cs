namespace Telehealth.Simulation.Transports;

/// <summary>One message a device sends. <paramref name="AtLeastOnce"/> asks for QoS 1 (readings and events).</summary>
public sealed record DeviceMessage(string Topic, ReadOnlyMemory<byte> Payload, bool AtLeastOnce);
