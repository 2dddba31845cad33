using Microsoft.Extensions.DependencyInjection;
using Telehealth.Gateway.Mqtt;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>Many sockets, or many connect attempts, from one source are refused at accept; other sources are served.</summary>
public sealed class SourceLimitTests(SourceLimitFixture fixture) : IClassFixture<SourceLimitFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private static readonly byte[] ConnAckAccepted = [0x20, 0x02, 0x00, 0x00];

    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task Sockets_past_the_per_source_limit_are_closed_at_once_and_other_sources_are_served()
    {
        const string flooder = "127.0.0.21";
        await using var honest = await NormalDevice.ConnectAsync(Platform, Staff, "Honest Neighbour");
        var (deviceId, secret) = await NewDeviceAsync("Flood Source Device");
        var held = new List<RawMqttSocket>();
        try
        {
            for (var i = 0; i < SourceLimitFixture.MaxConnectionsPerSource; i++)
            {
                held.Add(await RawMqttSocket.ConnectAsync(Platform.MqttPort, flooder));
            }
            var oneTooManyClosed = await RawMqttSocket.IsClosedUnansweredAsync(
                Platform.MqttPort, flooder, RawMqttSocket.Connect311($"{deviceId}-extra", deviceId, secret), Within);

            Assert.True(oneTooManyClosed);
            // The five held sockets were admitted: one of them can still CONNECT as a real device.
            await held[0].TrySendAsync(RawMqttSocket.Connect311($"{deviceId}-held", deviceId, secret));
            Assert.Equal(ConnAckAccepted, await held[0].ReadPacketAsync(Within));
            await using var otherSource = await RawMqttSocket.ConnectAsync(Platform.MqttPort, "127.0.0.22");
            await otherSource.TrySendAsync(RawMqttSocket.Connect311($"{deviceId}-other", deviceId, secret));
            Assert.Equal(ConnAckAccepted, await otherSource.ReadPacketAsync(Within));
        }
        finally
        {
            foreach (var socket in held)
            {
                await socket.DisposeAsync();
            }
        }

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, flooder));
        Assert.Equal("too_many_connections", listed.Str("reason"));
        await honest.AssertServedAsync();
    }

    [Fact]
    public async Task Connect_attempts_past_the_per_source_burst_are_closed_at_once()
    {
        const string flooder = "127.0.0.23";
        var (deviceId, secret) = await NewDeviceAsync("Rapid Reconnector");
        var broker = Platform.Services.GetRequiredService<EmbeddedMqttBroker>();
        var baseline = broker.OpenConnections;
        var answers = new List<byte[]?>();
        for (var i = 0; i < SourceLimitFixture.Burst; i++)
        {
            await using (var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, flooder))
            {
                await socket.TrySendAsync(RawMqttSocket.Connect311($"{deviceId}-{i}", deviceId, secret));
                answers.Add(await socket.ReadPacketAsync(Within));
            }
            // Wait until the broker has seen the close, so this case measures attempts and not open connections.
            await Eventually.GetAsync(() => Task.FromResult(broker.OpenConnections), n => n <= baseline);
        }

        var lateClosed = await RawMqttSocket.IsClosedUnansweredAsync(
            Platform.MqttPort, flooder, RawMqttSocket.Connect311($"{deviceId}-late", deviceId, secret), Within);

        Assert.All(answers, a => Assert.Equal(ConnAckAccepted, a));
        Assert.True(lateClosed);
        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, flooder));
        Assert.Equal("too_many_connect_attempts", listed.Str("reason"));
    }

    private async Task<(string DeviceId, string Secret)> NewDeviceAsync(string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, name);
        return await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
    }
}
