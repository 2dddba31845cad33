namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// Turns a serial byte stream into samples. Bytes arrive in whatever pieces the port hands over, so a decoder keeps
/// a partial frame between calls; it never throws on bad input, it drops bytes up to the next sync and counts them.
/// Not thread-safe: one reader feeds it.
/// </summary>
public interface IOximeterDecoder
{
    DecoderStatistics Statistics { get; }

    /// <summary>Decodes what <paramref name="bytes"/> completes and adds the samples, in order, to <paramref name="samples"/>.</summary>
    void Decode(ReadOnlySpan<byte> bytes, ICollection<OximeterSample> samples);

    /// <summary>Forgets a partial frame (the port was closed: the next bytes come from a new stream).</summary>
    void Reset();
}
