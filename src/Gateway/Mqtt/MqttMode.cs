namespace Telehealth.Gateway.Mqtt;

public enum MqttMode
{
    Embedded,
    External,

    /// <summary>
    /// Devices publish to nats-server's MQTT 3.1.1 listener, which stores each QoS 1 message in JetStream before its
    /// PUBACK; every platform instance pulls from one shared durable JetStream consumer (see <c>Nats/NatsJetStreamIngress</c>).
    /// </summary>
    NatsJetStream,
}
