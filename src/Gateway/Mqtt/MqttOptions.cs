using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt;

/// <summary>Configuration section "Mqtt": which broker devices publish to.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>
    /// Embedded (MQTTnet broker in this process), External (subscribe to mosquitto or another MQTT 5 broker) or
    /// NatsJetStream (devices publish to nats-server's MQTT listener; the platform pulls from JetStream).
    /// </summary>
    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    [Required]
    public EmbeddedBrokerOptions Embedded { get; set; } = new();

    [Required]
    public ExternalBrokerOptions External { get; set; } = new();

    [Required]
    public Nats.NatsJetStreamOptions Nats { get; set; } = new();
}
