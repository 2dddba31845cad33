namespace Telehealth.Simulation;

/// <summary>The MQTT protocol version the simulated devices speak (device API v1 accepts both).</summary>
public enum MqttProtocolLevel
{
    V311,
    V500,
}
