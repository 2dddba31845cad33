using Telehealth.Contracts.Devices;
using Telehealth.Gateway.Mqtt.Nats;

namespace Telehealth.Tests.Gateway;

public sealed class NatsDeviceSubjectsTests
{
    [Theory]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev-abc.readings", true, "dev-abc", DeviceChannel.Readings)]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev-abc.events", true, "dev-abc", DeviceChannel.Events)]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev-abc.status", true, "dev-abc", DeviceChannel.Status)]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev-abc.other", false, "", DeviceChannel.Readings)]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev-abc.readings.more", false, "", DeviceChannel.Readings)]
    [InlineData("$MQTT.msgs.telehealth.v1.devices.dev/abc.readings", false, "", DeviceChannel.Readings)]
    [InlineData("telehealth.v1.devices.dev-abc.readings", false, "", DeviceChannel.Readings)] // not from the stream
    [InlineData("$MQTT.msgs.other.v1.devices.dev-abc.readings", false, "", DeviceChannel.Readings)]
    public void A_stream_subject_names_the_device_and_channel_or_is_not_ours(string subject, bool ours, string deviceId, DeviceChannel channel)
    {
        var parsed = NatsDeviceSubjects.TryParse(subject, out var id, out var parsedChannel);

        Assert.Equal(ours, parsed);
        if (ours)
        {
            Assert.Equal((deviceId, channel), (id, parsedChannel));
        }
    }

    [Fact]
    public void The_consumer_filter_and_a_devices_permissions_follow_nats_servers_topic_mapping()
    {
        Assert.Equal("$MQTT.msgs.telehealth.v1.devices.>", NatsDeviceSubjects.AllDevicesInStream);
        Assert.Equal(
            ["telehealth.v1.devices.dev-a.readings", "telehealth.v1.devices.dev-a.events", "telehealth.v1.devices.dev-a.status"],
            NatsDeviceSubjects.PublishableBy("dev-a"));
        Assert.Equal("telehealth.v1.devices.dev-a.>", NatsDeviceSubjects.OwnedBy("dev-a"));
    }
}
