using MQTTnet.Formatter;

namespace Telehealth.Gateway.Serial.Forwarding;

/// <summary>Where and as whom the bridge publishes: always with the device's own credentials.</summary>
public sealed record MqttForwarderOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string DeviceId { get; init; }
    public required string Secret { get; init; }

    /// <summary>Bound to the device (<c>{deviceId}-serial</c> by default): brokers may require the device id as prefix.</summary>
    public required string ClientId { get; init; }

    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V500;

    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No PUBACK within this: the connection is treated as lost and the message is sent again after reconnecting.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
