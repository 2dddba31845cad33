using System.Text;
using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial.Framing;

/// <summary>
/// ASCII lines ending in LF (a CR before it is removed). A line longer than <see cref="MaxLineLength"/> has lost its
/// end: it is dropped and counted, and framing starts again after the next LF.
/// </summary>
public sealed class LineFramer(DecoderStatistics statistics)
{
    /// <summary>Masimo lines are under 150 characters even with every optional field.</summary>
    public const int MaxLineLength = 512;

    private readonly byte[] _line = new byte[MaxLineLength];
    private int _count;
    private bool _overflowing;

    public void Feed(ReadOnlySpan<byte> bytes, Action<string> onLine)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                if (_overflowing)
                {
                    statistics.BytesDropped++;
                    _overflowing = false;
                    continue;
                }
                var length = _count > 0 && _line[_count - 1] == (byte)'\r' ? _count - 1 : _count;
                // Latin1 maps every byte to one char, so garbage stays visible (and countable) to the line parser.
                var line = Encoding.Latin1.GetString(_line, 0, length);
                _count = 0;
                onLine(line);
                continue;
            }
            if (_overflowing)
            {
                statistics.BytesDropped++;
                continue;
            }
            if (_count == _line.Length)
            {
                statistics.BytesDropped += _count + 1;
                _count = 0;
                _overflowing = true;
                continue;
            }
            _line[_count++] = b;
        }
    }

    public void Reset()
    {
        statistics.BytesDropped += _count;
        _count = 0;
        _overflowing = false;
    }
}
