using System.Net;
using Telehealth.Gateway.Mqtt.Edge;

namespace Telehealth.Tests.Gateway;

/// <summary>
/// Whether a closing connection timed out waiting for its CONNECT is decided by how long it was open, not by which
/// timer closed it: MQTTnet's own first-packet timeout could close the socket a moment before the edge's deadline ran,
/// and the refusal then went unrecorded (a CI run on a loaded machine lost it that way).
/// </summary>
public sealed class EdgeConnectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    // A CONNECT of 16 bytes (remaining length 14), complete.
    private static readonly byte[] CompleteConnect = [0x10, 14, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 2, 0, 60, 0, 2, (byte)'i', (byte)'d'];

    [Theory]
    [InlineData(0, 1999, false)] // closed by the client before the deadline, nothing sent: not a timeout
    [InlineData(0, 2000, true)]  // open exactly to the deadline: timed out, whoever closed it
    [InlineData(0, 3000, true)]  // closed by MQTTnet's later timeout: still the edge's timeout
    [InlineData(5, 3000, true)]  // part of a CONNECT sent, one byte a second
    [InlineData(16, 3000, false)] // the whole CONNECT arrived: whatever happened next, it did not time out
    [InlineData(16, 100, false)]
    public void A_connection_closed_without_a_complete_connect_timed_out_only_once_it_lived_to_the_deadline(int bytesSent, int openForMs, bool timedOut)
    {
        var connection = new EdgeConnection(new IPEndPoint(IPAddress.Loopback, 40000), new MqttPacketGuard(8192));
        Assert.Equal(PacketGuardVerdict.Ok, connection.Guard.Inspect(CompleteConnect.AsSpan(0, bytesSent)));

        connection.Closed(TimeSpan.FromMilliseconds(openForMs), Deadline);

        Assert.Equal(timedOut, connection.TimedOut);
    }

    [Fact]
    public void A_timeout_the_deadline_timer_already_marked_stays_marked()
    {
        var connection = new EdgeConnection(new IPEndPoint(IPAddress.Loopback, 40000), new MqttPacketGuard(8192)) { TimedOut = true };

        connection.Closed(TimeSpan.FromMilliseconds(1999), Deadline);

        Assert.True(connection.TimedOut);
    }
}
