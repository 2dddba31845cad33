using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// Hand-built MQTT bytes over raw sockets: malformed, oversize, slow and silent. Each is refused at the edge before it
/// costs memory, listed with its reason, and an honest device keeps getting PUBACKs meanwhile. Each case connects
/// from its own loopback address, so it is its own source.
/// </summary>
public sealed class HostileMqttPacketTests(HostileEdgeFixture fixture) : IClassFixture<HostileEdgeFixture>
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(30);

    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task A_remaining_length_with_a_fifth_continuation_byte_closes_the_connection()
    {
        const string source = "127.0.0.11";
        await using var honest = await NormalDevice.ConnectAsync(Platform, Staff, "Honest Malformed");
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);

        await socket.TrySendAsync(new byte[] { 0x10, 0x80, 0x80, 0x80, 0x80, 0x01 });
        await socket.WaitClosedAsync(CloseWithin);

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("malformed_packet", listed.Str("reason"));
        Assert.Equal("mqtt:packet", listed.Str("source"));
        await honest.AssertServedAsync();
    }

    [Fact]
    public async Task A_first_packet_that_is_not_a_connect_closes_the_connection()
    {
        const string source = "127.0.0.12";
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);

        await socket.TrySendAsync(RawMqttSocket.Publish("telehealth/v1/devices/dev-aaaaaaaaaa/readings", "[]"u8));
        await socket.WaitClosedAsync(CloseWithin);

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("malformed_packet", listed.Str("reason"));
        Assert.StartsWith("First packet was of type 3, not CONNECT", listed.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connect_declaring_200_MB_is_refused_before_its_body_is_read()
    {
        const string source = "127.0.0.13";
        await using var honest = await NormalDevice.ConnectAsync(Platform, Staff, "Honest Big Connect");
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);

        byte[] header = [0x10, .. RawMqttSocket.RemainingLength(200_000_000)];
        await socket.TrySendAsync(header);
        var body = new byte[64 * 1024];
        var sentChunks = 0;
        while (sentChunks < 100 && await socket.TrySendAsync(body))
        {
            sentChunks++;
        }
        await socket.WaitClosedAsync(CloseWithin);

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("packet_too_large", listed.Str("reason"));
        Assert.Contains("limit 8192 before authentication", listed.Str("detail"), StringComparison.Ordinal);
        Assert.True(sentChunks < 100, "the broker should have closed the socket long before 6.4 MB of body arrived");
        await honest.AssertServedAsync();
    }

    [Fact]
    public async Task A_publish_declaring_250_MB_after_authentication_closes_only_that_connection_and_stores_nothing()
    {
        const string source = "127.0.0.14";
        await using var honest = await NormalDevice.ConnectAsync(Platform, Staff, "Honest Big Publish");
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Big Publisher");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);
        await socket.TrySendAsync(RawMqttSocket.Connect311($"{deviceId}-raw", deviceId, secret));
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, await socket.ReadPacketAsync(CloseWithin));

        var topic = System.Text.Encoding.UTF8.GetBytes($"telehealth/v1/devices/{deviceId}/readings");
        byte[] header = [0x32, .. RawMqttSocket.RemainingLength(250_000_000), 0, (byte)topic.Length, .. topic, 0, 1];
        await socket.TrySendAsync(header);
        var sentChunks = 0;
        while (sentChunks < 100 && await socket.TrySendAsync(new byte[64 * 1024]))
        {
            sentChunks++;
        }
        await socket.WaitClosedAsync(CloseWithin);

        Assert.Equal(["packet_too_large"], await Rejections.EventuallyReasonsOfDeviceAsync(Staff, deviceId));
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
        await honest.AssertServedAsync();
    }

    [Fact]
    public async Task A_connect_sent_one_byte_a_second_is_closed_at_the_connect_deadline()
    {
        const string source = "127.0.0.15";
        await using var honest = await NormalDevice.ConnectAsync(Platform, Staff, "Honest Slow");
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);
        var connect = RawMqttSocket.Connect311("dev-slowslowsl-1", "dev-slowslowsl", "secret");

        // The attack itself: one byte a second, far slower than the 2 s deadline allows for a whole CONNECT.
        using var stop = new CancellationTokenSource();
        var slowSender = Task.Run(async () =>
        {
            foreach (var b in connect)
            {
                if (stop.IsCancellationRequested || !await socket.TrySendAsync(new[] { b }))
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        });
        await socket.WaitClosedAsync(CloseWithin);
        await stop.CancelAsync();

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("connect_timeout", listed.Str("reason"));
        await honest.AssertServedAsync();
        await slowSender;
    }

    [Fact]
    public async Task A_socket_that_never_sends_a_connect_is_closed_at_the_connect_deadline()
    {
        const string source = "127.0.0.16";
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);

        await socket.WaitClosedAsync(CloseWithin);

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("connect_timeout", listed.Str("reason"));
        Assert.Equal("mqtt:connect", listed.Str("source"));
    }

    [Fact]
    public async Task A_long_username_with_newlines_is_listed_once_cut_and_escaped()
    {
        const string source = "127.0.0.17";
        var username = "dev-forged\n2026-11-25 WARN admin signed in\r\n" + new string('a', 4000);
        var answers = new List<byte[]?>();
        for (var i = 0; i < 20; i++)
        {
            await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);
            await socket.TrySendAsync(RawMqttSocket.Connect311("forged-1", username, "guess-" + i));
            answers.Add(await socket.ReadPacketAsync(CloseWithin));
        }

        Assert.All(answers, a => Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x04 }, a));
        var listed = Assert.Single(await Rejections.OfSourceAsync(Staff, source));
        Assert.Equal("unknown_device", listed.Str("reason"));
        Assert.Equal(@"dev-forged\n2026-11-25 WARN admin signed in\r\naaaaaaaaaaaaaaaaaaaa…(+3980 chars)", listed.Str("deviceId"));
    }

    [Fact]
    public async Task A_connect_over_8_KiB_is_refused_even_with_valid_credentials_inside()
    {
        const string source = "127.0.0.18";
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Padded Connect");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var socket = await RawMqttSocket.ConnectAsync(Platform.MqttPort, source);

        // A valid CONNECT made large by a 9,000-character password: the size is refused before the credentials are read.
        await socket.TrySendAsync(RawMqttSocket.Connect311($"{deviceId}-1", deviceId, secret + new string('x', 9000)));
        await socket.WaitClosedAsync(CloseWithin);

        var listed = Assert.Single(await Rejections.EventuallyOfSourceAsync(Staff, source));
        Assert.Equal("packet_too_large", listed.Str("reason"));
        Assert.Empty(await Rejections.ReasonsOfDeviceAsync(Staff, deviceId));
    }
}
