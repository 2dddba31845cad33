namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// Contec CMS50D+ firmware 4.6 live data: 9-byte frames <c>01 status w1 w2 x pulse spo2 FF FF</c>, status E0 valid,
/// E1 pulse/SpO2 invalid, E2 no data; pulse = b5 &amp; 0x7F, SpO2 = b6 &amp; 0x7F. A frame is taken only when it starts
/// with 01, has a known status and ends in FF FF; otherwise the decoder drops one byte and looks for the next 01.
/// Live data flows only after the start command (<see cref="StartLiveData"/>) and stops without keep-alives.
/// </summary>
public sealed class Cms50V46Decoder : IOximeterDecoder
{
    public const int FrameLength = 9;
    public const byte StatusValid = 0xE0;
    public const byte StatusInvalid = 0xE1;
    public const byte StatusNoData = 0xE2;

    /// <summary>7D 81 A1 80 80 80 80 80 80: start live data.</summary>
    public static ReadOnlySpan<byte> StartLiveData => [0x7D, 0x81, 0xA1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];

    /// <summary>7D 81 AF 80 80 80 80 80 80: keep-alive, sent periodically while reading.</summary>
    public static ReadOnlySpan<byte> KeepAlive => [0x7D, 0x81, 0xAF, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];

    private readonly byte[] _buffer = new byte[FrameLength];
    private int _count;

    public DecoderStatistics Statistics { get; } = new();

    public void Decode(ReadOnlySpan<byte> bytes, ICollection<OximeterSample> samples)
    {
        foreach (var b in bytes)
        {
            _buffer[_count++] = b;
            while (_count > 0 && !HeaderSoFarValid())
            {
                DropFirst();
            }
            if (_count < FrameLength)
            {
                continue;
            }
            if (_buffer[7] == 0xFF && _buffer[8] == 0xFF)
            {
                samples.Add(ToSample(_buffer));
                Statistics.FramesDecoded++;
                _count = 0;
                continue;
            }
            // Right header, wrong trailer: a truncated frame ran into the next one, or bytes were corrupted.
            Statistics.FramesRejected++;
            DropFirst();
            while (_count > 0 && !HeaderSoFarValid())
            {
                DropFirst();
            }
        }
    }

    public void Reset()
    {
        Statistics.BytesDropped += _count;
        _count = 0;
    }

    private bool HeaderSoFarValid() =>
        _buffer[0] == 0x01 && (_count < 2 || _buffer[1] is StatusValid or StatusInvalid or StatusNoData);

    private void DropFirst()
    {
        Statistics.BytesDropped++;
        _count--;
        Array.Copy(_buffer, 1, _buffer, 0, _count);
    }

    private static OximeterSample ToSample(ReadOnlySpan<byte> frame)
    {
        var status = frame[1];
        if (status != StatusValid)
        {
            return new OximeterSample(null, null, OximeterFlags.NoData);
        }
        var pulse = frame[5] & 0x7F;
        var spo2 = frame[6] & 0x7F;
        return new OximeterSample(
            spo2 is 127 or 0 or > 100 ? null : spo2,
            pulse is 127 or 0 ? null : pulse,
            OximeterFlags.None);
    }
}
