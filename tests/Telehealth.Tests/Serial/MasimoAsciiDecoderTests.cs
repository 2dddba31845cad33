using System.Text;
using Telehealth.Gateway.Serial.Protocols;
using static Telehealth.Tests.Serial.DecoderRun;

namespace Telehealth.Tests.Serial;

public sealed class MasimoAsciiDecoderTests
{
    [Theory]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800", 97, 64, OximeterFlags.None)]
    [InlineData("09/15/10 15:10:29 SN=0000012345 SPO2=097% BPM=064 PI=11.82% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000", 97, 64, OximeterFlags.None)]
    [InlineData("09/15/10 15:10:29 SPO2=---% BPM=--- PI=--.--% ALARM=0 EXC=0", null, null, OximeterFlags.None)]
    [InlineData("09/15/10 15:10:29 SPO2=088% BPM=---", 88, null, OximeterFlags.None)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=40 EXC=0", 97, 64, OximeterFlags.LowBattery)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=3F EXC=0", 97, 64, OximeterFlags.None)] // limit alarms are the device's, not probe status
    [InlineData("09/15/10 15:10:29 SPO2=---% BPM=--- ALARM=0 EXC=1", null, null, OximeterFlags.ProbeError)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=4", 97, 64, OximeterFlags.LowPerfusion)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=8", 97, 64, OximeterFlags.Searching)]
    [InlineData("09/15/10 15:10:29 SPO2=---% BPM=--- ALARM=0 EXC=20", null, null, OximeterFlags.FingerOut)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC1=400", 97, 64, OximeterFlags.LowSignalQuality)]
    [InlineData("09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=40 EXC=42D", 97, 64, OximeterFlags.LowBattery | OximeterFlags.ProbeError | OximeterFlags.LowPerfusion | OximeterFlags.Searching | OximeterFlags.FingerOut | OximeterFlags.LowSignalQuality)]
    public void Decodes_values_dashes_alarm_and_exception_bits(string line, int? spo2, int? pulse, OximeterFlags flags)
    {
        var decoder = new MasimoAsciiDecoder();

        var samples = Decode(decoder, Encoding.ASCII.GetBytes(line + "\r\n"));

        Assert.Equal([new OximeterSample(spo2, pulse, flags)], samples);
        Assert.Equal(0, decoder.Statistics.BytesDropped);
        Assert.Equal(0, decoder.Statistics.FramesRejected);
    }

    [Theory]
    [InlineData("xx\u00ff09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 3, 0)] // garbage before the timestamp
    [InlineData("10 15:10:28 SPO2=09\r\n09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 19, 1)] // the tail of a truncated line
    [InlineData("09/15/10 15:10:28 SPO2=097% BPM=0\u00b14 ALARM=0 EXC=0\r\n09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 49, 1)] // a corrupted byte
    [InlineData("09/15/10 15:10:28 SPO2=097%\r\n09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 27, 1)] // BPM missing
    [InlineData("09/15/10 15:10:28 SPO2=197% BPM=064\r\n09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 35, 1)] // SpO2 197
    [InlineData("09/15/10 15:10:28 SPO2=097% BPM=064 ALARM=ZZ\r\n09/15/10 15:10:29 SPO2=097% BPM=064 ALARM=0 EXC=0\r\n", 1, 44, 1)] // ALARM not hex
    public void Drops_bad_lines_and_garbage_and_counts_them(string text, int decoded, int dropped, int rejected)
    {
        var decoder = new MasimoAsciiDecoder();

        var samples = Decode(decoder, OneByOne(Encoding.Latin1.GetBytes(text)));

        Assert.Equal(decoded, samples.Count);
        Assert.All(samples, s => Assert.Equal(new OximeterSample(97, 64, OximeterFlags.None), s));
        Assert.Equal(dropped, decoder.Statistics.BytesDropped);
        Assert.Equal(rejected, decoder.Statistics.FramesRejected);
    }

    [Fact]
    public void A_line_that_never_ends_is_dropped_and_framing_restarts_after_the_next_line_feed()
    {
        var decoder = new MasimoAsciiDecoder();
        var runaway = new byte[600];
        Array.Fill(runaway, (byte)'A');

        var samples = Decode(decoder, runaway, Encoding.ASCII.GetBytes("\n09/15/10 15:10:29 SPO2=097% BPM=064\r\n"));

        Assert.Equal([new OximeterSample(97, 64, OximeterFlags.None)], samples);
        Assert.Equal(601, decoder.Statistics.BytesDropped);
    }
}
