using System.Globalization;
using System.Text.RegularExpressions;
using Telehealth.Gateway.Serial.Framing;

namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// Masimo Rad-series ASCII output: one line a second ending CR LF, e.g.
/// <c>09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800</c>. The line starts at its (last) date and
/// time; anything before that (garbage, the tail of a truncated line) is dropped and counted. SPO2 and BPM are required,
/// <c>---</c> means unavailable; ALARM and EXC (or EXC1) are hex bit fields; other fields (SN, SPCO, PVI…) are
/// ignored. A line with anything but printable ASCII after its timestamp is rejected whole. Dropped bytes are
/// counted without the line terminators.
/// </summary>
public sealed partial class MasimoAsciiDecoder : IOximeterDecoder
{
    private readonly LineFramer _framer;
    private ICollection<OximeterSample>? _output;

    public MasimoAsciiDecoder()
    {
        _framer = new LineFramer(Statistics);
    }

    public DecoderStatistics Statistics { get; } = new();

    public void Decode(ReadOnlySpan<byte> bytes, ICollection<OximeterSample> samples)
    {
        _output = samples;
        _framer.Feed(bytes, OnLine);
        _output = null;
    }

    public void Reset() => _framer.Reset();

    private void OnLine(string line)
    {
        var start = LineStart().Match(line);
        if (!start.Success)
        {
            Statistics.BytesDropped += line.Length;
            if (line.Length > 0)
            {
                Statistics.FramesRejected++;
            }
            return;
        }
        Statistics.BytesDropped += start.Index;
        var body = line[start.Index..];
        if (TryParse(body, out var sample))
        {
            Statistics.FramesDecoded++;
            _output!.Add(sample);
        }
        else
        {
            Statistics.FramesRejected++;
            Statistics.BytesDropped += body.Length;
        }
    }

    private static bool TryParse(string body, out OximeterSample sample)
    {
        sample = default;
        foreach (var c in body)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }
        string? spo2Text = null, bpmText = null;
        var alarm = 0;
        var exceptions = 0;
        // Fields after "MM/dd/yy HH:mm:ss": NAME=VALUE separated by spaces.
        foreach (var field in body[18..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }
            var name = field[..equals];
            var value = field[(equals + 1)..];
            switch (name)
            {
                case "SPO2":
                    spo2Text = value.TrimEnd('%');
                    break;
                case "BPM":
                    bpmText = value;
                    break;
                case "ALARM":
                    if (!TryHex(value, out alarm))
                    {
                        return false;
                    }
                    break;
                case "EXC" or "EXC1":
                    if (!TryHex(value, out exceptions))
                    {
                        return false;
                    }
                    break;
            }
        }
        if (spo2Text is null || bpmText is null
            || !TryValue(spo2Text, 100, out var spo2) || !TryValue(bpmText, 350, out var bpm))
        {
            return false;
        }
        var flags = OximeterFlags.None;
        if ((alarm & 0x40) != 0) flags |= OximeterFlags.LowBattery;
        if ((exceptions & 0x01) != 0) flags |= OximeterFlags.ProbeError;
        if ((exceptions & 0x04) != 0) flags |= OximeterFlags.LowPerfusion;
        if ((exceptions & 0x08) != 0) flags |= OximeterFlags.Searching;
        if ((exceptions & 0x20) != 0) flags |= OximeterFlags.FingerOut;
        if ((exceptions & 0x400) != 0) flags |= OximeterFlags.LowSignalQuality;
        sample = new OximeterSample(spo2, bpm, flags);
        return true;
    }

    /// <summary>A number with leading zeros, or dashes for "unavailable" (null); anything else is a corrupted field.</summary>
    private static bool TryValue(string text, int max, out int? value)
    {
        value = null;
        if (text.Length > 0 && text.All(c => c == '-'))
        {
            return true;
        }
        if (text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        var number = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (number > max)
        {
            return false;
        }
        // 0 is what a Rad shows with no pulse found: no value.
        value = number == 0 ? null : number;
        return true;
    }

    private static bool TryHex(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    // Right to left: a truncated line glued to the next one starts with a timestamp too, and only the last is whole.
    [GeneratedRegex(@"\d\d/\d\d/\d\d \d\d:\d\d:\d\d ", RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex LineStart();
}
