using Telehealth.Gateway.Serial.Framing;

namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// Nonin Data Format 8: one 4-byte frame a second. Byte 1 status1 (bit 7 always 1: the sync; 0x20 out of track,
/// 0x10 low perfusion, 0x08 marginal perfusion, 0x04 artifact, bits 1–0 heart-rate bits 8–7); byte 2 heart-rate
/// bits 6–0; byte 3 SpO2 %; byte 4 status2 (0x20 SmartPoint, 0x08 sensor alarm, 0x01 low battery). Bytes 2–4 keep
/// bit 7 clear. Missing values: heart rate 511, SpO2 127. No checksum, so out-of-range values reject the frame.
/// </summary>
public sealed class Nonin8Decoder : IOximeterDecoder
{
    public const int FrameLength = 4;
    public const int MissingHeartRate = 511;
    public const int MissingSpo2 = 127;

    private readonly SyncBitFramer _framer;
    private ICollection<OximeterSample>? _output;

    public Nonin8Decoder()
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
        var status1 = frame[0];
        var status2 = frame[3];
        var heartRate = ((status1 & 0x03) << 7) | (frame[1] & 0x7F);
        int spo2 = frame[2];
        // 0x40 in status1 is reserved (always 0); 0x02/0x04/0x10/0x40 in status2 likewise: a set reserved bit is a corrupted frame.
        if ((status1 & 0x40) != 0 || (status2 & 0x56) != 0
            || (heartRate > 300 && heartRate != MissingHeartRate) || (spo2 > 100 && spo2 != MissingSpo2))
        {
            Statistics.FramesRejected++;
            Statistics.BytesDropped += FrameLength;
            return;
        }
        var flags = OximeterFlags.None;
        if ((status1 & 0x20) != 0) flags |= OximeterFlags.OutOfTrack;
        if ((status1 & 0x10) != 0) flags |= OximeterFlags.LowPerfusion;
        if ((status1 & 0x08) != 0) flags |= OximeterFlags.MarginalPerfusion;
        if ((status1 & 0x04) != 0) flags |= OximeterFlags.Artifact;
        if ((status2 & 0x20) != 0) flags |= OximeterFlags.SmartPoint;
        if ((status2 & 0x08) != 0) flags |= OximeterFlags.SensorAlarm;
        if ((status2 & 0x01) != 0) flags |= OximeterFlags.LowBattery;
        Statistics.FramesDecoded++;
        _output!.Add(new OximeterSample(
            spo2 == MissingSpo2 ? null : spo2,
            heartRate == MissingHeartRate ? null : heartRate,
            flags));
    }
}
