using Telehealth.Contracts.Devices;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// How nats-server's MQTT listener names device topics. It maps an MQTT topic to a NATS subject by turning '/' into
/// '.', and stores every QoS 1 message in the JetStream stream <c>$MQTT_msgs</c> under <c>$MQTT.msgs.</c> + subject
/// (nats-server 2.9, server/README-MQTT.md). Device ids are letters, digits and '-', so no '.' needs escaping.
/// </summary>
public static class NatsDeviceSubjects
{
    /// <summary>The stream nats-server's MQTT listener stores QoS 1 messages in (interest retention, file store).</summary>
    public const string MqttStream = "$MQTT_msgs";

    /// <summary>The subjects of that stream, exactly as nats-server creates it.</summary>
    public const string MqttStreamSubjects = "$MQTT.msgs.>";

    private const string MqttStreamPrefix = "$MQTT.msgs.";

    /// <summary>The NATS subject of an MQTT topic (what a device's publish permission is written against).</summary>
    public static string FromTopic(string topic) => topic.Replace('/', '.');

    /// <summary>Every device channel, as stored in the stream: the platform's consumer filter.</summary>
    public static string AllDevicesInStream => MqttStreamPrefix + FromTopic(DeviceTopics.Prefix) + ">";

    /// <summary>The three subjects a device may publish on (readings, events, status), and nothing else.</summary>
    public static IReadOnlyList<string> PublishableBy(string deviceId) =>
        [FromTopic(DeviceTopics.Readings(deviceId)), FromTopic(DeviceTopics.Events(deviceId)), FromTopic(DeviceTopics.Status(deviceId))];

    /// <summary>Everything under the device's own id (what it may subscribe to).</summary>
    public static string OwnedBy(string deviceId) => FromTopic(DeviceTopics.Prefix + deviceId) + ".>";

    /// <summary>The device and channel of a stream subject (<c>$MQTT.msgs.telehealth.v1.devices.{id}.{channel}</c>).</summary>
    public static bool TryParse(string subject, out string deviceId, out DeviceChannel channel)
    {
        deviceId = string.Empty;
        channel = default;
        if (!subject.StartsWith(MqttStreamPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var natsSubject = subject[MqttStreamPrefix.Length..];
        // A subject with '/' cannot come from an MQTT topic's levels; refusing it keeps the mapping one to one.
        return !natsSubject.Contains('/') && DeviceTopics.TryParse(natsSubject.Replace('.', '/'), out deviceId, out channel);
    }
}
