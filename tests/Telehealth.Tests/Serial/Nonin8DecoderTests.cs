using Telehealth.Gateway.Serial.Protocols;
using static Telehealth.Tests.Serial.DecoderRun;

namespace Telehealth.Tests.Serial;

public sealed class Nonin8DecoderTests
{
    // Hand-written from the Data Format 8 layout: status1 (bit 7 sync), HR bits 6–0, SpO2, status2.
    [Theory]
    [InlineData("80 48 61 00", 97, 72, OximeterFlags.None)]
    [InlineData("81 04 5F 00", 95, 132, OximeterFlags.None)] // HR bits 8–7 in status1: (1 << 7) | 4
    [InlineData("82 00 64 00", 100, 256, OximeterFlags.None)]
    [InlineData("A0 48 61 00", 97, 72, OximeterFlags.OutOfTrack)]
    [InlineData("90 48 61 00", 97, 72, OximeterFlags.LowPerfusion)]
    [InlineData("88 48 61 00", 97, 72, OximeterFlags.MarginalPerfusion)]
    [InlineData("84 48 61 00", 97, 72, OximeterFlags.Artifact)]
    [InlineData("80 48 61 20", 97, 72, OximeterFlags.SmartPoint)]
    [InlineData("80 48 61 08", 97, 72, OximeterFlags.SensorAlarm)]
    [InlineData("80 48 61 01", 97, 72, OximeterFlags.LowBattery)]
    [InlineData("BC 48 61 29", 97, 72, OximeterFlags.OutOfTrack | OximeterFlags.LowPerfusion | OximeterFlags.MarginalPerfusion | OximeterFlags.Artifact | OximeterFlags.SmartPoint | OximeterFlags.SensorAlarm | OximeterFlags.LowBattery)]
    [InlineData("83 7F 61 00", 97, null, OximeterFlags.None)] // HR 511: missing
    [InlineData("80 48 7F 00", null, 72, OximeterFlags.None)] // SpO2 127: missing
    [InlineData("A3 7F 7F 08", null, null, OximeterFlags.OutOfTrack | OximeterFlags.SensorAlarm)]
    public void Decodes_every_field_status_bit_and_missing_value_code(string hex, int? spo2, int? pulse, OximeterFlags flags)
    {
        var decoder = new Nonin8Decoder();

        var samples = Decode(decoder, Hex(hex));

        Assert.Equal([new OximeterSample(spo2, pulse, flags)], samples);
        Assert.Equal(1, decoder.Statistics.FramesDecoded);
        Assert.Equal(0, decoder.Statistics.BytesDropped);
    }

    [Theory]
    [InlineData("12 34 80 48 61 00", 1, 2, 0)] // garbage before the first sync
    [InlineData("80 48 80 48 61 00", 1, 2, 0)] // truncated frame, then a whole one
    [InlineData("80 48 61 00 80 48 61", 1, 0, 0)] // the last frame is still incomplete: kept, not dropped
    [InlineData("80 48 75 00 80 48 61 00", 1, 4, 1)] // SpO2 117: no such value, the frame is corrupt
    [InlineData("C0 48 61 00 80 48 61 00", 1, 4, 1)] // reserved bit 6 of status1 set
    [InlineData("80 48 61 40 80 48 61 00", 1, 4, 1)] // reserved bit of status2 set
    [InlineData("82 60 61 00 80 48 61 00", 1, 4, 1)] // HR 352 is not 511 and not a heart rate
    [InlineData("00 80 48 61 00 7F 80 48 61 00", 2, 2, 0)] // interleaved garbage between frames
    public void Resynchronises_after_garbage_truncation_and_corruption_and_counts_what_it_dropped(string hex, int decoded, int dropped, int rejected)
    {
        var decoder = new Nonin8Decoder();

        var samples = Decode(decoder, Hex(hex));

        Assert.Equal(decoded, samples.Count);
        Assert.All(samples, s => Assert.Equal(new OximeterSample(97, 72, OximeterFlags.None), s));
        Assert.Equal(dropped, decoder.Statistics.BytesDropped);
        Assert.Equal(rejected, decoder.Statistics.FramesRejected);
    }

    [Fact]
    public void Frames_split_across_reads_decode_the_same()
    {
        var decoder = new Nonin8Decoder();

        var samples = Decode(decoder, OneByOne(Hex("80 48 61 00 A3 7F 7F 08")));

        Assert.Equal([new OximeterSample(97, 72, OximeterFlags.None), new OximeterSample(null, null, OximeterFlags.OutOfTrack | OximeterFlags.SensorAlarm)], samples);
    }

    [Fact]
    public void Reset_drops_a_partial_frame_from_the_previous_connection()
    {
        var decoder = new Nonin8Decoder();
        Decode(decoder, Hex("80 48"));

        decoder.Reset();
        var samples = Decode(decoder, Hex("61 00 80 48 61 00"));

        Assert.Single(samples);
        Assert.Equal(4, decoder.Statistics.BytesDropped);
    }
}
