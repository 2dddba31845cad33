using System.Buffers;
using System.Text;

namespace Telehealth.Tests.Decoding;

internal static class DecodingTestData
{
    /// <summary>2026-11-18T11:08:20Z plus 0.4321 ms, so tests see that "now" is cut to the millisecond.</summary>
    public static readonly DateTimeOffset ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_100_000).AddTicks(4_321);

    public const long ReceivedAtMs = 1_795_000_100_000;

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static DateTimeOffset Ms(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    /// <summary>A payload split into segments, as an MQTT client may hand over a large message.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] payload, int segmentLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var start = 0; start < payload.Length; start += segmentLength)
        {
            var memory = payload.AsMemory(start, Math.Min(segmentLength, payload.Length - start));
            if (last is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last.Append(memory);
            }
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
