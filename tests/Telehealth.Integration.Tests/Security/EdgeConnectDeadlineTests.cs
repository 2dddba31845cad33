using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using Telehealth.Gateway.Mqtt;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// The connect deadline lives only until the device authenticates: a connected device holds no timer (10,000 idle
/// devices held 10,000 timers that all fired in one burst 10 s after a fleet reconnected), while a socket that never
/// sends its CONNECT still holds one and is still closed by it. Real MQTT over sockets, on a platform of its own so
/// the counts are exact.
/// </summary>
public sealed class EdgeConnectDeadlineTests
{
    [Fact]
    public async Task Authenticated_devices_hold_no_connect_deadline_and_outlive_it_while_a_silent_socket_is_still_closed_by_its_own()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Mqtt:Embedded:ConnectTimeout"] = "00:00:03" });
        using var staff = await platform.CreateStaffClientAsync();
        var broker = platform.Services.GetRequiredService<EmbeddedMqttBroker>();
        var (v5Id, v5Secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, await TelehealthPlatform.CreatePatientAsync(staff, "Deadline Five"));
        var (v3Id, v3Secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, await TelehealthPlatform.CreatePatientAsync(staff, "Deadline Three"));

        await using var v5 = await MqttDevice.ConnectAsync(platform.MqttPort, v5Id, v5Secret, MqttProtocolVersion.V500, $"{v5Id}-a");
        await using var v3 = await MqttDevice.ConnectAsync(platform.MqttPort, v3Id, v3Secret, MqttProtocolVersion.V311, $"{v3Id}-a");

        // The deadline is disarmed before the CONNACK is sent, so this holds the moment the devices are connected.
        Assert.Equal(2, broker.OpenConnections);
        Assert.Equal(0, broker.AwaitingConnect);

        await using (var silent = await RawMqttSocket.ConnectAsync(platform.MqttPort, "127.0.0.61"))
        {
            await Eventually.GetAsync(() => Task.FromResult(broker.AwaitingConnect), n => n == 1, TimeSpan.FromSeconds(30));
            await silent.WaitClosedAsync(TimeSpan.FromSeconds(30));
        }
        await Eventually.GetAsync(() => Task.FromResult(broker.OpenConnections), n => n == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(0, broker.AwaitingConnect);

        // Both devices are past their own deadline by now and still served.
        Assert.True(v5.IsConnected);
        Assert.True(v3.IsConnected);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await v5.PublishReadingsAsync(Reading(-2))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await v3.PublishReadingsAsync(Reading(-1))).ReasonCode);
    }

    private static string Reading(int minutesAgo) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""[{"bt":{{DateTimeOffset.UtcNow.AddMinutes(minutesAgo).ToUnixTimeMilliseconds() / 1000.0:0.000}},"n":"spo2","u":"%","v":97}]""");
}
