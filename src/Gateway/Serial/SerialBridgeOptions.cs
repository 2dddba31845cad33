using MQTTnet.Formatter;
using Telehealth.Gateway.Serial.Aggregation;

namespace Telehealth.Gateway.Serial;

/// <summary>Everything one serial bridge needs: the port and its format, the device's identity, the broker, the window.</summary>
public sealed record SerialBridgeOptions
{
    public required string PortPath { get; init; }
    public required SerialFormat Format { get; init; }
    public required string DeviceId { get; init; }
    public required string Secret { get; init; }
    public required string BrokerHost { get; init; }
    public required int BrokerPort { get; init; }

    /// <summary>Null: <c>{deviceId}-serial</c>.</summary>
    public string? ClientId { get; init; }

    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V500;

    /// <summary>Folder of the on-disk spool (relative to the working folder unless absolute).</summary>
    public string SpoolDirectory { get; init; } = "serial-spool";

    public StableWindowOptions Aggregation { get; init; } = new();

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ReopenMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    public string EffectiveClientId => ClientId ?? $"{DeviceId}-serial";
}
