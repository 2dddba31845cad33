namespace Telehealth.Simulation.Serial;

/// <summary>Encodes a readout as the format's frame, and knows each device's real cadence.</summary>
public static class SerialFrameEncoder
{
    public static IReadOnlyList<string> FormatNames { get; } = ["nonin8", "cms50-legacy", "cms50-v46", "masimo"];

    public static bool TryParseFormat(string? name, out SerialDeviceFormat format)
    {
        var index = name is null ? -1 : FormatNames.ToList().IndexOf(name);
        format = index < 0 ? default : (SerialDeviceFormat)index;
        return index >= 0;
    }

    /// <summary>Frames a second: Nonin format 8 and the Masimo line once a second; the CMS50D+ streams 60 packets a second.</summary>
    public static int FramesPerSecond(SerialDeviceFormat format) => format switch
    {
        SerialDeviceFormat.Cms50Legacy or SerialDeviceFormat.Cms50V46 => 60,
        _ => 1,
    };

    /// <param name="frameIndex">The frame's number within the second, for the waveform byte of CMS50 packets.</param>
    public static byte[] Encode(SerialDeviceFormat format, OximeterReadout readout, DateTime at, int frameIndex = 0) => format switch
    {
        SerialDeviceFormat.Nonin8 => Nonin8Encoder.Encode(readout),
        SerialDeviceFormat.Cms50Legacy => Cms50LegacyEncoder.Encode(readout, Pleth(frameIndex)),
        SerialDeviceFormat.Cms50V46 => Cms50V46Encoder.Encode(readout, Pleth(frameIndex)),
        SerialDeviceFormat.Masimo => MasimoAsciiEncoder.Encode(readout, at),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>A pulse-like waveform byte (0–127), so captured streams look like the real thing.</summary>
    private static int Pleth(int frameIndex) => (int)(63.5 + 60 * Math.Sin(frameIndex * 2 * Math.PI / 50));
}
