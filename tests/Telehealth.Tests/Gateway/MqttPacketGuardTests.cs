using Telehealth.Gateway.Mqtt.Edge;

namespace Telehealth.Tests.Gateway;

public sealed class MqttPacketGuardTests
{
    private const int Limit = 8192;

    [Theory]
    // CONNECT (0x10) with remaining lengths at the one-, two-, three- and four-byte edges.
    [InlineData("10 00", PacketGuardVerdict.Ok)]
    [InlineData("10 7F", PacketGuardVerdict.Ok)]
    [InlineData("10 80 40", PacketGuardVerdict.Ok)]             // 8192: exactly the limit
    [InlineData("10 81 40", PacketGuardVerdict.TooLarge)]       // 8193
    [InlineData("10 80 80 01", PacketGuardVerdict.TooLarge)]    // 16384, refused on the third byte
    [InlineData("10 FF FF FF 7F", PacketGuardVerdict.TooLarge)] // 268,435,455: the largest MQTT can say
    [InlineData("10 80 80 80 80 01", PacketGuardVerdict.MalformedLength)] // five length bytes (zeros keep it under the limit)
    [InlineData("30 05", PacketGuardVerdict.FirstPacketNotConnect)]        // PUBLISH before CONNECT
    [InlineData("C0 00", PacketGuardVerdict.FirstPacketNotConnect)]        // PINGREQ before CONNECT
    public void The_first_packet_is_judged_on_its_header_alone(string hex, PacketGuardVerdict expected)
    {
        var guard = new MqttPacketGuard(Limit);

        Assert.Equal(expected, guard.Inspect(Convert.FromHexString(hex.Replace(" ", ""))));
    }

    [Fact]
    public void A_200_MB_connect_is_refused_by_its_second_length_byte()
    {
        // 200,000,000 encodes as 80 84 AF 5F: the decoded part is 0, then 512, then 512 + 47 * 16384 > 8192.
        var guard = new MqttPacketGuard(Limit);
        var header = new byte[] { 0x10, 0x80, 0x84, 0xAF, 0x5F };

        var afterTwo = guard.Inspect(header.AsSpan(0, 3));
        var afterThree = guard.Inspect(header.AsSpan(3, 1));

        Assert.Equal(PacketGuardVerdict.Ok, afterTwo);
        Assert.Equal(PacketGuardVerdict.TooLarge, afterThree);
        Assert.False(guard.ConnectReceived);
    }

    [Fact]
    public void Bytes_in_any_chunking_give_the_same_verdicts_and_packet_count()
    {
        // CONNECT with a 3-byte body, PUBLISH with 200 bytes, PINGREQ.
        var stream = new List<byte> { 0x10, 0x03, 1, 2, 3, 0x30, 0xC8, 0x01 };
        stream.AddRange(new byte[200]);
        stream.AddRange([0xC0, 0x00]);
        foreach (var chunk in new[] { 1, 2, 3, 7, 64, 1000 })
        {
            var guard = new MqttPacketGuard(Limit);
            for (var offset = 0; offset < stream.Count; offset += chunk)
            {
                Assert.Equal(PacketGuardVerdict.Ok, guard.Inspect(stream.ToArray().AsSpan(offset, Math.Min(chunk, stream.Count - offset))));
            }
            Assert.Equal(3, guard.CompletedPackets);
            Assert.True(guard.ConnectReceived);
        }
    }

    [Fact]
    public void The_connect_is_complete_only_when_its_last_body_byte_arrived()
    {
        var guard = new MqttPacketGuard(Limit);

        guard.Inspect([0x10, 0x02, 0xAA]);
        var before = guard.ConnectReceived;
        guard.Inspect([0xBB]);

        Assert.False(before);
        Assert.True(guard.ConnectReceived);
    }

    [Fact]
    public void After_authentication_the_raised_limit_applies_to_later_packets()
    {
        var guard = new MqttPacketGuard(Limit);
        guard.Inspect([0x10, 0x00]);
        guard.MaxRemainingLength = 131_072;

        var withinRaised = guard.Inspect([0x30, 0x80, 0x80, 0x02]);           // PUBLISH declaring 32,768
        Assert.Equal(PacketGuardVerdict.Ok, withinRaised);
        guard.Inspect(new byte[32_768]);
        var quarterGigabyte = guard.Inspect([0x32, 0x80, 0xB5, 0xE9, 0x77]); // PUBLISH declaring 250,000,000

        Assert.Equal(PacketGuardVerdict.TooLarge, quarterGigabyte);
        Assert.Equal(3, guard.PacketType);
        Assert.Equal(2, guard.CompletedPackets);
    }

    [Fact]
    public void A_refusal_is_final()
    {
        var guard = new MqttPacketGuard(Limit);
        guard.Inspect([0x30]);

        Assert.Equal(PacketGuardVerdict.FirstPacketNotConnect, guard.Inspect([0x10, 0x00]));
        Assert.Equal(PacketGuardVerdict.FirstPacketNotConnect, guard.Verdict);
    }

    [Fact]
    public async Task The_guard_stream_fails_the_read_that_carries_an_oversize_length_and_reads_no_further()
    {
        var bytes = new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4 };
        using var inner = new MemoryStream(bytes);
        await using var stream = new PacketGuardStream(inner, new MqttPacketGuard(Limit));
        var buffer = new byte[1];

        Assert.Equal(1, await stream.ReadAsync(buffer));
        Assert.Equal(1, await stream.ReadAsync(buffer));
        var refused = await Assert.ThrowsAsync<MqttPacketRefusedException>(async () => await stream.ReadExactlyAsync(buffer));
        await Assert.ThrowsAsync<MqttPacketRefusedException>(async () => await stream.ReadExactlyAsync(buffer));

        Assert.Equal(PacketGuardVerdict.TooLarge, refused.Verdict);
        Assert.IsAssignableFrom<IOException>(refused);
        Assert.Equal(3, inner.Position);
    }
}
