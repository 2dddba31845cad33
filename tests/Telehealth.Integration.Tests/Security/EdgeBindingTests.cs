using System.Net.Sockets;
using MQTTnet;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>The guarded listener binds exactly the configured address, IPv6 included, as MQTTnet's own listener did.</summary>
public sealed class EdgeBindingTests
{
    [Fact]
    public async Task An_ipv6_bind_address_serves_devices_over_ipv6_and_not_over_ipv4()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Mqtt:Embedded:BindAddress"] = "::1" });
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "IPv6 Home");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("::1", platform.MqttPort)
            .WithClientId($"{deviceId}-v6")
            .WithCredentials(deviceId, secret)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

        var connected = await client.ConnectAsync(options);
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"telehealth/v1/devices/{deviceId}/readings").WithPayload("""[{"n":"spo2","u":"%","v":97}]""")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var ipv4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var ipv4Refused = await Assert.ThrowsAsync<SocketException>(() => ipv4.ConnectAsync("127.0.0.1", platform.MqttPort));

        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        Assert.Equal(SocketError.ConnectionRefused, ipv4Refused.SocketErrorCode);
        Assert.Equal(1, (await staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
        await client.DisconnectAsync();
    }
}
