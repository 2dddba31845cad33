using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Tests.Serial;

/// <summary>Feeds bytes to a decoder, optionally in several chunks, and collects what came out.</summary>
internal static class DecoderRun
{
    public static List<OximeterSample> Decode(IOximeterDecoder decoder, params byte[][] chunks)
    {
        var samples = new List<OximeterSample>();
        foreach (var chunk in chunks)
        {
            decoder.Decode(chunk, samples);
        }
        return samples;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>The same bytes one at a time: a decoder must not care how the port splits them.</summary>
    public static byte[][] OneByOne(byte[] bytes) => bytes.Select(b => new[] { b }).ToArray();
}
