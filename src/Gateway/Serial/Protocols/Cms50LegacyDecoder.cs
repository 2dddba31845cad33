using Telehealth.Gateway.Serial.Framing;

namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// Contec CMS50D+ legacy live data: 5-byte packets, about 60 a second, only byte 0 has bit 7 set (the sync).
/// Byte 0: signal strength (bits 3–0), 0x10 finger out, 0x20 SpO2 dropping, 0x40 beep. Byte 1: pleth.
/// Byte 2: bar graph (bits 3–0), 0x10 probe error, 0x20 searching, 0x40 pulse bit 7. Byte 3: pulse bits 6–0.
/// Byte 4: SpO2 (bits 6–0). Missing values: SpO2 127, pulse 255, and 0 for either while searching or finger out.
/// </summary>
public sealed class Cms50LegacyDecoder : IOximeterDecoder
{
    public const int FrameLength = 5;

    private readonly SyncBitFramer _framer;
    private ICollection<OximeterSample>? _output;

    public Cms50LegacyDecoder()
    {
        _framer = new SyncBitFramer(FrameLength, Statistics);
    }

    public DecoderStatistics Statistics { get; } = new();

    public void Decode(ReadOnlySpan<byte> bytes, ICollection<OximeterSample> samples)
    {
        _output = samples;
        _framer.Feed(bytes, OnFrame);
        _output = null;
    }

    public void Reset() => _framer.Reset();

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        var pulse = ((frame[2] & 0x40) << 1) | (frame[3] & 0x7F);
        var spo2 = frame[4] & 0x7F;
        if ((spo2 > 100 && spo2 != 127) || (pulse > 300 && pulse != 255))
        {
            Statistics.FramesRejected++;
            Statistics.BytesDropped += FrameLength;
            return;
        }
        var flags = OximeterFlags.None;
        if ((frame[0] & 0x10) != 0) flags |= OximeterFlags.FingerOut;
        if ((frame[2] & 0x10) != 0) flags |= OximeterFlags.ProbeError;
        if ((frame[2] & 0x20) != 0) flags |= OximeterFlags.Searching;
        Statistics.FramesDecoded++;
        _output!.Add(new OximeterSample(
            spo2 is 127 or 0 ? null : spo2,
            pulse is 255 or 0 ? null : pulse,
            flags));
    }
}
