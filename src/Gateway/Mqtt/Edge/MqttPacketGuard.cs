namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// Follows the MQTT framing of one connection byte by byte, as the bytes are read, and says no the moment a packet
/// declares more than the limit in force, before any of its body is read. MQTTnet 5.2 allocates the whole body as
/// soon as it has decoded the remaining length (a 200 MB CONNECT costs 200 MB before credentials are checked), so
/// this must run below it. The limit starts at <see cref="MaxRemainingLength"/> for CONNECT and is raised by the
/// broker once the connection has authenticated. Once a verdict is not <see cref="PacketGuardVerdict.Ok"/> it stays so.
/// </summary>
public sealed class MqttPacketGuard(int maxRemainingLength)
{
    private const int ConnectPacketType = 1;

    private State _state = State.FixedHeader;
    private long _declared;
    private long _multiplier = 1;
    private int _lengthBytes;
    private long _bodyLeft;
    private int _completedPackets;

    /// <summary>The largest remaining length (variable header and payload) accepted for the next packet.</summary>
    public int MaxRemainingLength { get; set; } = maxRemainingLength;

    public PacketGuardVerdict Verdict { get; private set; }

    /// <summary>The remaining length (or the part of it decoded so far) of the packet being read.</summary>
    public long DeclaredLength => _declared;

    /// <summary>Packet type of the packet being read (1 CONNECT, 3 PUBLISH, …).</summary>
    public int PacketType { get; private set; }

    /// <summary>Set once the first packet (the CONNECT) has been read completely.</summary>
    public bool ConnectReceived => Volatile.Read(ref _completedPackets) > 0;

    public int CompletedPackets => Volatile.Read(ref _completedPackets);

    public PacketGuardVerdict Inspect(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && Verdict == PacketGuardVerdict.Ok)
        {
            switch (_state)
            {
                case State.FixedHeader:
                    PacketType = data[i] >> 4;
                    i++;
                    if (_completedPackets == 0 && PacketType != ConnectPacketType)
                    {
                        Verdict = PacketGuardVerdict.FirstPacketNotConnect;
                        break;
                    }
                    _declared = 0;
                    _multiplier = 1;
                    _lengthBytes = 0;
                    _state = State.RemainingLength;
                    break;

                case State.RemainingLength:
                    var encoded = data[i];
                    i++;
                    _lengthBytes++;
                    _declared += (encoded & 0x7F) * _multiplier;
                    _multiplier *= 128;
                    // The decoded part is a lower bound of the whole: refuse as soon as it alone is too large.
                    if (_declared > MaxRemainingLength)
                    {
                        Verdict = PacketGuardVerdict.TooLarge;
                        break;
                    }
                    if ((encoded & 0x80) != 0)
                    {
                        if (_lengthBytes == 4)
                        {
                            Verdict = PacketGuardVerdict.MalformedLength;
                        }
                        break;
                    }
                    if (_declared == 0)
                    {
                        CompletePacket();
                    }
                    else
                    {
                        _bodyLeft = _declared;
                        _state = State.Body;
                    }
                    break;

                case State.Body:
                    var take = (int)Math.Min(_bodyLeft, data.Length - i);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        CompletePacket();
                    }
                    break;
            }
        }
        return Verdict;
    }

    private void CompletePacket()
    {
        Interlocked.Increment(ref _completedPackets);
        _state = State.FixedHeader;
    }

    private enum State
    {
        FixedHeader,
        RemainingLength,
        Body,
    }
}
