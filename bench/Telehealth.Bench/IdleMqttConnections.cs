using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telehealth.Bench;

/// <summary>
/// Idle devices for the connections phase, held as cheaply as the bench can: plain sockets speaking MQTT 5 (CONNECT
/// with the device's own id and secret, keep-alive 60 s, clean start), then nothing but a PINGREQ every
/// <see cref="PingEvery"/> from one loop for all of them. MQTTnet's client wakes every 250 ms per connection to check
/// its keep-alive (40,000 wake-ups a second for 10,000 clients, about a tenth of a core measured here), and on a
/// 2-core machine that bench work came off the platform being measured; real idle devices live on their own hardware.
/// </summary>
public sealed class IdleMqttConnections : IAsyncDisposable
{
    /// <summary>The keep-alive each connection declares; the broker closes one that is silent for 1.5 times as long.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(60);

    /// <summary>Three quarters of the keep-alive: each connection pings well inside it, and the pings are spread evenly.</summary>
    public static readonly TimeSpan PingEvery = KeepAlive * 0.75;

    private static readonly byte[] PingRequest = [0xC0, 0x00];
    private static readonly byte[] Disconnect = [0xE0, 0x00];
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Connection> _connections;
    private readonly CancellationTokenSource _stopPinging = new();
    private readonly Task _pinging;

    private IdleMqttConnections(List<Connection> connections)
    {
        _connections = connections;
        _pinging = Task.Run(() => PingLoopAsync(_stopPinging.Token));
    }

    public int Count => _connections.Count;

    /// <summary>Connects every device (batches of <paramref name="batch"/> at once); throws if any is refused.</summary>
    public static async Task<IdleMqttConnections> ConnectAsync(int port, IReadOnlyList<(string DeviceId, string Secret)> devices, int batch = 200)
    {
        var connections = new List<Connection>(devices.Count);
        try
        {
            foreach (var chunk in devices.Chunk(batch))
            {
                connections.AddRange(await Task.WhenAll(chunk.Select(d => ConnectOneAsync(port, d.DeviceId, d.Secret))));
            }
        }
        catch
        {
            foreach (var connection in connections)
            {
                connection.Socket.Dispose();
            }
            throw;
        }
        return new IdleMqttConnections(connections);
    }

    /// <summary>
    /// Stops the keep-alive loop, pings every connection once more and counts those that answered every ping they
    /// were sent, in order, with nothing else from the broker (a DISCONNECT or a closed socket counts as gone).
    /// </summary>
    public async Task<int> CountAliveAsync()
    {
        await StopPingingAsync();
        var alive = 0;
        foreach (var chunk in _connections.Chunk(500))
        {
            var answers = await Task.WhenAll(chunk.Select(AnsweredEveryPingAsync));
            alive += answers.Count(a => a);
        }
        return alive;
    }

    /// <summary>Sends DISCONNECT on every connection and closes it; the broker ends their sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopPingingAsync();
        foreach (var chunk in _connections.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(async connection =>
            {
                try
                {
                    await connection.Socket.SendAsync(Disconnect, SocketFlags.None);
                    connection.Socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already closed by the broker: nothing to say goodbye to.
                }
                catch (ObjectDisposedException)
                {
                }
                connection.Socket.Dispose();
            }));
        }
        _stopPinging.Dispose();
    }

    private async Task StopPingingAsync()
    {
        if (!_stopPinging.IsCancellationRequested)
        {
            await _stopPinging.CancelAsync();
        }
        await _pinging;
    }

    private async Task PingLoopAsync(CancellationToken stopping)
    {
        // One tick every 250 ms pings the next slice of connections, so each is pinged once per PingEvery.
        var tick = TimeSpan.FromMilliseconds(250);
        var perTick = Math.Max(1, (int)Math.Ceiling(_connections.Count * tick / PingEvery));
        using var timer = new PeriodicTimer(tick);
        var next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                for (var i = 0; i < perTick && _connections.Count > 0; i++, next = (next + 1) % _connections.Count)
                {
                    var connection = _connections[next];
                    try
                    {
                        await connection.Socket.SendAsync(PingRequest, SocketFlags.None, stopping);
                        connection.PingsSent++;
                    }
                    catch (SocketException)
                    {
                        // Counted as gone by CountAliveAsync: it will not answer.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static async Task<bool> AnsweredEveryPingAsync(Connection connection)
    {
        try
        {
            await connection.Socket.SendAsync(PingRequest, SocketFlags.None);
            connection.PingsSent++;
            // Every PINGRESP is exactly C0 00's answer D0 00; anything else (a DISCONNECT, an end of stream) is not alive.
            var expected = new byte[2 * connection.PingsSent];
            using var timeout = new CancellationTokenSource(ReplyTimeout);
            await ReadExactlyAsync(connection.Socket, expected, timeout.Token);
            for (var i = 0; i < expected.Length; i += 2)
            {
                if (expected[i] != 0xD0 || expected[i + 1] != 0x00)
                {
                    return false;
                }
            }
            connection.PingsSent = 0;
            return true;
        }
        catch (Exception exception) when (exception is SocketException or EndOfStreamException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Connection> ConnectOneAsync(int port, string deviceId, string secret)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            var clientId = $"{deviceId}-{Guid.NewGuid():N}"[..30];
            await socket.SendAsync(ConnectPacket(clientId, deviceId, secret), SocketFlags.None);
            using var timeout = new CancellationTokenSource(ReplyTimeout);
            var header = new byte[2];
            await ReadExactlyAsync(socket, header.AsMemory(0, 1), timeout.Token);
            var length = await ReadRemainingLengthAsync(socket, timeout.Token);
            var body = new byte[length];
            await ReadExactlyAsync(socket, body, timeout.Token);
            // CONNACK: type 2, then the acknowledge flags and the reason code (0 = success).
            if (header[0] != 0x20 || body.Length < 2 || body[1] != 0x00)
            {
                throw new InvalidOperationException($"{deviceId} refused: packet 0x{header[0]:X2}, reason 0x{(body.Length > 1 ? body[1] : 0xFF):X2}");
            }
            return new Connection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An MQTT 5 CONNECT: clean start, user name and password, the keep-alive, no properties, no will.</summary>
    private static byte[] ConnectPacket(string clientId, string userName, string password)
    {
        var variable = new List<byte>();
        AddString(variable, "MQTT");
        variable.Add(5);
        variable.Add(0x80 | 0x40 | 0x02);
        variable.Add((byte)((int)KeepAlive.TotalSeconds >> 8));
        variable.Add((byte)(int)KeepAlive.TotalSeconds);
        variable.Add(0);
        AddString(variable, clientId);
        AddString(variable, userName);
        AddString(variable, password);

        var packet = new List<byte> { 0x10 };
        var remaining = variable.Count;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            packet.Add(remaining > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remaining > 0);
        packet.AddRange(variable);
        return [.. packet];
    }

    private static void AddString(List<byte> target, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)bytes.Length));
        target.AddRange(length.ToArray());
        target.AddRange(bytes);
    }

    private static async Task<int> ReadRemainingLengthAsync(Socket socket, CancellationToken cancellationToken)
    {
        var value = 0;
        var one = new byte[1];
        for (var shift = 0; shift < 28; shift += 7)
        {
            await ReadExactlyAsync(socket, one, cancellationToken);
            value |= (one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidOperationException("Malformed remaining length from the broker.");
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }
            buffer = buffer[read..];
        }
    }

    private sealed class Connection(Socket socket)
    {
        public Socket Socket { get; } = socket;

        /// <summary>PINGREQs sent whose PINGRESP has not been read yet (only the ping loop or the final count touch it, never both at once).</summary>
        public int PingsSent { get; set; }
    }
}
