using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial.Framing;

/// <summary>
/// Frames of a fixed length whose first byte, and only the first, has bit 7 set (Nonin format 8, CMS50 legacy).
/// A byte with bit 7 set always starts a new frame, so a truncated frame is dropped as soon as the next one begins,
/// and bytes before the first sync are dropped; both are counted. A corrupted data byte that keeps bit 7 clear
/// cannot be told from a good one: these formats have no checksum, which is why values are range-checked after.
/// </summary>
public sealed class SyncBitFramer
{
    private readonly byte[] _frame;
    private readonly DecoderStatistics _statistics;
    private int _count;

    public SyncBitFramer(int frameLength, DecoderStatistics statistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameLength, 2);
        _frame = new byte[frameLength];
        _statistics = statistics;
    }

    public void Feed(ReadOnlySpan<byte> bytes, FrameHandler onFrame)
    {
        foreach (var b in bytes)
        {
            if ((b & 0x80) != 0)
            {
                // A new sync while a frame is open: the open one was truncated.
                _statistics.BytesDropped += _count;
                _frame[0] = b;
                _count = 1;
            }
            else if (_count == 0)
            {
                _statistics.BytesDropped++;
                continue;
            }
            else
            {
                _frame[_count++] = b;
            }
            if (_count == _frame.Length)
            {
                _count = 0;
                onFrame(_frame);
            }
        }
    }

    public void Reset()
    {
        _statistics.BytesDropped += _count;
        _count = 0;
    }
}
