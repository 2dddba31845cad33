using Telehealth.Gateway.Serial.Protocols;
using static Telehealth.Tests.Serial.DecoderRun;

namespace Telehealth.Tests.Serial;

public sealed class Cms50V46DecoderTests
{
    // 01, status, two waveform bytes, one more, pulse = b5 & 0x7F, SpO2 = b6 & 0x7F, FF FF.
    [Theory]
    [InlineData("01 E0 C0 80 80 C8 E1 FF FF", 97, 72, OximeterFlags.None)]
    [InlineData("01 E0 40 00 00 48 61 FF FF", 97, 72, OximeterFlags.None)] // bit 7 of the data bytes is masked off either way
    [InlineData("01 E1 C0 80 80 80 80 FF FF", null, null, OximeterFlags.NoData)] // E1: pulse/SpO2 invalid
    [InlineData("01 E2 C0 80 80 80 80 FF FF", null, null, OximeterFlags.NoData)] // E2: no data
    [InlineData("01 E0 C0 80 80 FF FF FF FF", null, null, OximeterFlags.None)] // 127 in both: missing
    [InlineData("01 E0 C0 80 80 80 80 FF FF", null, null, OximeterFlags.None)] // 0 in both: no value
    public void Decodes_values_status_codes_and_missing_values(string hex, int? spo2, int? pulse, OximeterFlags flags)
    {
        var decoder = new Cms50V46Decoder();

        var samples = Decode(decoder, Hex(hex));

        Assert.Equal([new OximeterSample(spo2, pulse, flags)], samples);
        Assert.Equal(0, decoder.Statistics.BytesDropped);
    }

    [Theory]
    [InlineData("55 AA 01 E0 C0 80 80 C8 E1 FF FF", 1, 2, 0)] // garbage before
    [InlineData("01 E0 C0 80 01 E0 C0 80 80 C8 E1 FF FF", 1, 4, 1)] // truncated frame: nine bytes without the FF FF trailer
    [InlineData("01 E0 C0 80 80 C8 E1 FF 00 01 E0 C0 80 80 C8 E1 FF FF", 1, 9, 1)] // wrong trailer: corrupt
    [InlineData("01 E7 C0 80 80 C8 E1 FF FF 01 E0 C0 80 80 C8 E1 FF FF", 1, 9, 0)] // unknown status: not a frame
    [InlineData("01 E0 C0 80 80 C8 E1 FF FF 7D 81 A1 01 E0 C0 80 80 C8 E1 FF FF", 2, 3, 0)] // an echoed command in between
    public void Resynchronises_on_header_and_trailer_and_counts_what_it_dropped(string hex, int decoded, int dropped, int rejected)
    {
        var decoder = new Cms50V46Decoder();

        var samples = Decode(decoder, OneByOne(Hex(hex)));

        Assert.Equal(decoded, samples.Count);
        Assert.All(samples, s => Assert.Equal(new OximeterSample(97, 72, OximeterFlags.None), s));
        Assert.Equal(dropped, decoder.Statistics.BytesDropped);
        Assert.Equal(rejected, decoder.Statistics.FramesRejected);
    }
}
