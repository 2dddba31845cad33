using System.IO.Ports;
using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial;

/// <summary>Command-line names, line settings and decoders of the serial formats.</summary>
public static class SerialFormats
{
    public static IReadOnlyList<string> Names { get; } = ["nonin8", "cms50-legacy", "cms50-v46", "masimo"];

    public static string NameOf(SerialFormat format) => format switch
    {
        SerialFormat.Nonin8 => "nonin8",
        SerialFormat.Cms50Legacy => "cms50-legacy",
        SerialFormat.Cms50V46 => "cms50-v46",
        SerialFormat.Masimo => "masimo",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? name, out SerialFormat format)
    {
        foreach (var candidate in Enum.GetValues<SerialFormat>())
        {
            if (string.Equals(NameOf(candidate), name, StringComparison.Ordinal))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    public static SerialLineSettings LineSettings(SerialFormat format) => format switch
    {
        SerialFormat.Nonin8 => new SerialLineSettings(9600, Parity.None, 8, StopBits.One),
        SerialFormat.Cms50Legacy => new SerialLineSettings(19200, Parity.Odd, 8, StopBits.One),
        SerialFormat.Cms50V46 => new SerialLineSettings(115200, Parity.None, 8, StopBits.One),
        SerialFormat.Masimo => new SerialLineSettings(9600, Parity.None, 8, StopBits.One),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static IOximeterDecoder CreateDecoder(SerialFormat format) => format switch
    {
        SerialFormat.Nonin8 => new Nonin8Decoder(),
        SerialFormat.Cms50Legacy => new Cms50LegacyDecoder(),
        SerialFormat.Cms50V46 => new Cms50V46Decoder(),
        SerialFormat.Masimo => new MasimoAsciiDecoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Bytes to send when the port opens (CMS50 v4.6 streams only after its start command), else empty.</summary>
    public static byte[] OpenCommand(SerialFormat format) =>
        format == SerialFormat.Cms50V46 ? Cms50V46Decoder.StartLiveData.ToArray() : [];

    /// <summary>Bytes to send periodically while reading (CMS50 v4.6 keep-alive), else empty.</summary>
    public static byte[] KeepAliveCommand(SerialFormat format) =>
        format == SerialFormat.Cms50V46 ? Cms50V46Decoder.KeepAlive.ToArray() : [];
}
