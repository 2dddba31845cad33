using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telehealth.TestSupport;

/// <summary>
/// A plain TCP socket to the broker for hand-built MQTT bytes: malformed, oversize or slow packets that no MQTT
/// library would send. It can connect from any loopback address (127.0.0.2, 127.0.0.3, …), so each hostile test
/// is its own source for per-source limits and refusal aggregation.
/// </summary>
public sealed class RawMqttSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawMqttSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawMqttSocket> ConnectAsync(int port, string sourceAddress = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return new RawMqttSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects, optionally sends <paramref name="firstBytes"/>, and returns true when the broker closed the connection
    /// without answering: reset during the handshake (a refusal at accept can arrive before connect returns) or closed
    /// right after. Throws <see cref="TimeoutException"/> when the connection stays open past <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> IsClosedUnansweredAsync(int port, string sourceAddress, byte[]? firstBytes, TimeSpan timeout)
    {
        RawMqttSocket socket;
        try
        {
            socket = await ConnectAsync(port, sourceAddress);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            return true;
        }
        await using (socket)
        {
            if (firstBytes is not null)
            {
                await socket.TrySendAsync(firstBytes);
            }
            var answer = await socket.ReadPacketAsync(timeout);
            if (answer is not null)
            {
                return false;
            }
            await socket.WaitClosedAsync(timeout);
            return true;
        }
    }

    /// <summary>Sends bytes; false when the broker has already closed the connection.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _stream.WriteAsync(bytes, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads one whole packet (fixed header, remaining length, body), as sent; null when the connection was closed first.</summary>
    public async Task<byte[]?> ReadPacketAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var first = await ReadByteAsync(cancel.Token);
            if (first < 0)
            {
                return null;
            }
            var header = new List<byte> { (byte)first };
            var length = 0;
            var multiplier = 1;
            int encoded;
            do
            {
                encoded = await ReadByteAsync(cancel.Token);
                if (encoded < 0)
                {
                    return null;
                }
                header.Add((byte)encoded);
                length += (encoded & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((encoded & 0x80) != 0);
            var packet = new byte[header.Count + length];
            header.CopyTo(packet);
            await _stream.ReadExactlyAsync(packet.AsMemory(header.Count), cancel.Token);
            return packet;
        }
        catch (Exception exception) when (exception is IOException or SocketException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the broker closes the connection (end of stream or reset), discarding anything it sends first.
    /// Throws <see cref="TimeoutException"/> when it is still open after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The broker kept the connection open for {timeout}.");
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // A reset is a close too.
        }
    }

    private async Task<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        var one = new byte[1];
        return await _stream.ReadAsync(one, cancellationToken) == 0 ? -1 : one[0];
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    /// <summary>The MQTT variable-length encoding of a remaining length (1–4 bytes).</summary>
    public static byte[] RemainingLength(int length)
    {
        var bytes = new List<byte>(4);
        do
        {
            var encoded = (byte)(length % 128);
            length /= 128;
            if (length > 0)
            {
                encoded |= 0x80;
            }
            bytes.Add(encoded);
        } while (length > 0);
        return [.. bytes];
    }

    /// <summary>An MQTT 3.1.1 CONNECT with username and password (keep-alive 60 s).</summary>
    public static byte[] Connect311(string clientId, string username, string password, bool cleanSession = true)
    {
        var body = new List<byte>();
        AppendString(body, "MQTT");
        body.Add(4);
        body.Add((byte)(0x80 | 0x40 | (cleanSession ? 0x02 : 0)));
        body.AddRange([0, 60]);
        AppendString(body, clientId);
        AppendString(body, username);
        AppendString(body, password);
        return [0x10, .. RemainingLength(body.Count), .. body];
    }

    /// <summary>A QoS 1 PUBLISH (packet id 1).</summary>
    public static byte[] Publish(string topic, ReadOnlySpan<byte> payload)
    {
        var body = new List<byte>();
        AppendString(body, topic);
        body.AddRange([0, 1]);
        body.AddRange(payload.ToArray());
        return [0x32, .. RemainingLength(body.Count), .. body];
    }

    private static void AppendString(List<byte> body, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        body.Add((byte)(bytes.Length >> 8));
        body.Add((byte)bytes.Length);
        body.AddRange(bytes);
    }
}
