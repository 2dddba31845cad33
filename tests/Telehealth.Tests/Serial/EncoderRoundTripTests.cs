using Telehealth.Gateway.Serial;
using Telehealth.Gateway.Serial.Protocols;
using Telehealth.Simulation.Serial;
using static Telehealth.Tests.Serial.DecoderRun;

namespace Telehealth.Tests.Serial;

/// <summary>device-sim's encoders against the bridge's decoders: what the simulator means is what the bridge reads.</summary>
public sealed class EncoderRoundTripTests
{
    public static TheoryData<SerialDeviceFormat, SerialScenario> Every()
    {
        var data = new TheoryData<SerialDeviceFormat, SerialScenario>();
        foreach (var format in Enum.GetValues<SerialDeviceFormat>())
        {
            foreach (var scenario in Enum.GetValues<SerialScenario>())
            {
                data.Add(format, scenario);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_second_of_every_scenario_decodes_to_what_was_meant(SerialDeviceFormat format, SerialScenario scenario)
    {
        var decoder = SerialFormats.CreateDecoder((SerialFormat)(int)format);
        var at = new DateTime(2026, 11, 25, 10, 0, 0);

        for (var second = 0; second < 150; second++)
        {
            var readout = SerialScenarios.At(scenario, second);
            var samples = Decode(decoder, SerialFrameEncoder.Encode(format, readout, at.AddSeconds(second), second));

            var sample = Assert.Single(samples);
            var meantValid = readout.Spo2 is not null && readout.Pulse is not null
                && (readout.Conditions & (ProbeConditions.FingerOut | ProbeConditions.ProbeError)) == 0;
            Assert.Equal(meantValid, sample.IsValid);
            if (meantValid)
            {
                Assert.Equal(readout.Spo2, sample.Spo2);
                Assert.Equal(readout.Pulse, sample.PulseRate);
            }
            var lowBatteryShown = format is SerialDeviceFormat.Nonin8 or SerialDeviceFormat.Masimo && (readout.Conditions & ProbeConditions.LowBattery) != 0;
            Assert.Equal(lowBatteryShown, (sample.Flags & OximeterFlags.LowBattery) != 0);
        }
        Assert.Equal(0, decoder.Statistics.BytesDropped);
    }

    [Theory]
    [InlineData(SerialDeviceFormat.Nonin8)]
    [InlineData(SerialDeviceFormat.Cms50Legacy)]
    [InlineData(SerialDeviceFormat.Cms50V46)]
    [InlineData(SerialDeviceFormat.Masimo)]
    public void Truncated_frames_and_garbage_between_frames_cost_exactly_the_damaged_frames(SerialDeviceFormat format)
    {
        var decoder = SerialFormats.CreateDecoder((SerialFormat)(int)format);
        var readout = new OximeterReadout(97, 72);
        var frame = SerialFrameEncoder.Encode(format, readout, new DateTime(2026, 11, 25, 10, 0, 0));
        // Garbage that cannot look like a frame start in this format: bit 7 clear for the sync-bit formats, never
        // 01 for CMS50 v4.6, and no line end for Masimo.
        byte[] garbage = format == SerialDeviceFormat.Cms50V46 ? [0x55, 0x7E, 0x33] : [0x11, 0x22, 0x33];
        var stream = new List<byte>();
        var whole = 0;
        for (var i = 0; i < 40; i++)
        {
            switch (i % 4)
            {
                case 1:
                    stream.AddRange(frame[..(frame.Length / 2)]);
                    break;
                case 3:
                    // After a whole frame, not after a truncated one: a truncated sync-bit frame topped up by garbage
                    // is a well-formed frame (these formats have no checksum), which only range checks can catch.
                    stream.AddRange(garbage);
                    stream.AddRange(frame);
                    whole++;
                    break;
                default:
                    stream.AddRange(frame);
                    whole++;
                    break;
            }
        }

        var samples = Decode(decoder, stream.ToArray());

        Assert.Equal(whole, samples.Count);
        Assert.All(samples, s => Assert.Equal((97, 72), (s.Spo2, s.PulseRate)));
    }

    [Fact]
    public void Fault_injection_is_reproducible_from_its_seed_and_damages_at_the_asked_rate()
    {
        var faults = new SerialFaults { Corrupt = 0.1, Truncate = 0.1, Garbage = 0.1 };
        var frame = Nonin8Encoder.Encode(new OximeterReadout(97, 72));
        var first = new SerialFaultInjector(faults, 7);
        var second = new SerialFaultInjector(faults, 7);

        var a = Enumerable.Range(0, 1000).Select(_ => first.Apply(frame)).ToList();
        var b = Enumerable.Range(0, 1000).Select(_ => second.Apply(frame)).ToList();

        Assert.Equal(a.Select(Convert.ToHexString), b.Select(Convert.ToHexString));
        Assert.Equal(a.Count(x => !x.AsSpan().SequenceEqual(frame)), first.Damaged);
        Assert.InRange(first.Damaged, 200, 350); // 1 - 0.9³ ≈ 27 %
    }
}
