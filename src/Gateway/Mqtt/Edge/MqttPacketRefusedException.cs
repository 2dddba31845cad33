namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// Thrown from the connection's stream when <see cref="MqttPacketGuard"/> refuses what was read. An
/// <see cref="IOException"/>, so MQTTnet treats it as a broken connection and closes it.
/// </summary>
public sealed class MqttPacketRefusedException(PacketGuardVerdict verdict, long declaredLength)
    : IOException($"MQTT packet refused: {verdict} (declared remaining length at least {declaredLength} bytes).")
{
    public PacketGuardVerdict Verdict { get; } = verdict;

    public long DeclaredLength { get; } = declaredLength;
}
