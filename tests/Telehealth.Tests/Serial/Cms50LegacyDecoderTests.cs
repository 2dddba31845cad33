using Telehealth.Gateway.Serial.Protocols;
using static Telehealth.Tests.Serial.DecoderRun;

namespace Telehealth.Tests.Serial;

public sealed class Cms50LegacyDecoderTests
{
    // Byte 0 signal | 0x10 finger out (sync bit 7); pleth; bar | 0x10 probe error | 0x20 searching | 0x40 pulse bit 7; pulse 6–0; SpO2.
    [Theory]
    [InlineData("88 40 05 48 61", 97, 72, OximeterFlags.None)]
    [InlineData("88 40 45 02 5F", 95, 130, OximeterFlags.None)] // pulse bit 7 in byte 2
    [InlineData("C8 40 05 48 61", 97, 72, OximeterFlags.None)] // 0x40 beep is not a problem
    [InlineData("A8 40 05 48 55", 85, 72, OximeterFlags.None)] // 0x20 SpO2 dropping is the device's own cue, not a status
    [InlineData("90 40 00 00 00", null, null, OximeterFlags.FingerOut)] // finger out: values 0
    [InlineData("80 40 10 00 00", null, null, OximeterFlags.ProbeError)]
    [InlineData("88 40 25 48 61", 97, 72, OximeterFlags.Searching)]
    [InlineData("88 40 45 7F 7F", null, null, OximeterFlags.None)] // pulse 255, SpO2 127: missing
    [InlineData("90 40 30 00 00", null, null, OximeterFlags.FingerOut | OximeterFlags.ProbeError | OximeterFlags.Searching)]
    public void Decodes_every_field_status_bit_and_missing_value_code(string hex, int? spo2, int? pulse, OximeterFlags flags)
    {
        var decoder = new Cms50LegacyDecoder();

        var samples = Decode(decoder, Hex(hex));

        Assert.Equal([new OximeterSample(spo2, pulse, flags)], samples);
        Assert.Equal(0, decoder.Statistics.BytesDropped);
    }

    [Theory]
    [InlineData("05 48 88 40 05 48 61", 1, 2, 0)] // the tail of a frame we joined mid-way
    [InlineData("88 40 05 88 40 05 48 61", 1, 3, 0)] // truncated frame
    [InlineData("88 40 05 48 70 88 40 05 48 61", 1, 5, 1)] // SpO2 112: corrupt
    [InlineData("88 40 05 48 61 11 22 33 88 40 05 48 61", 2, 3, 0)] // interleaved garbage
    public void Resynchronises_on_the_sync_bit_and_counts_what_it_dropped(string hex, int decoded, int dropped, int rejected)
    {
        var decoder = new Cms50LegacyDecoder();

        var samples = Decode(decoder, OneByOne(Hex(hex)));

        Assert.Equal(decoded, samples.Count);
        Assert.All(samples, s => Assert.Equal(new OximeterSample(97, 72, OximeterFlags.None), s));
        Assert.Equal(dropped, decoder.Statistics.BytesDropped);
        Assert.Equal(rejected, decoder.Statistics.FramesRejected);
    }
}
