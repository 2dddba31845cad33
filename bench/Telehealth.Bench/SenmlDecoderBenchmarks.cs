using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Telehealth.Gateway.Decoding;

namespace Telehealth.Bench;

/// <summary>
/// SenmlDecoder.Decode on the payload an oximeter sends (2 records) and on a buffered upload (50 records of
/// mixed kinds and units, including conversions), all accepted. Throughput per record is the number to watch.
/// </summary>
[MemoryDiagnoser]
public class SenmlDecoderBenchmarks
{
    private static readonly DateTimeOffset ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    private readonly SenmlDecoder _decoder = new(new DecodingOptions());
    private byte[] _twoRecords = [];
    private byte[] _fiftyRecords = [];

    [GlobalSetup]
    public void Setup()
    {
        _twoRecords = Encoding.UTF8.GetBytes(
            """[{"bn":"urn:dev:id:dev-abcdefghjk:","bt":1794999990.123,"n":"spo2","u":"%","v":96},{"n":"heart_rate","u":"beat/min","v":72}]""");
        _fiftyRecords = Encoding.UTF8.GetBytes(FiftyRecordPack());
        Check(_twoRecords, 2);
        Check(_fiftyRecords, 50);
    }

    [Benchmark(Baseline = true, Description = "Decode 2 records")]
    public int DecodeTwo() => _decoder.Decode(_twoRecords, ReceivedAt).Accepted.Count;

    [Benchmark(Description = "Decode 50 records")]
    public int DecodeFifty() => _decoder.Decode(_fiftyRecords, ReceivedAt).Accepted.Count;

    private void Check(byte[] payload, int expected)
    {
        var result = _decoder.Decode(payload, ReceivedAt);
        if (result.Accepted.Count != expected || result.Rejected.Count != 0)
        {
            throw new InvalidOperationException($"Benchmark payload decodes to {result.Accepted.Count} accepted and {result.Rejected.Count} refused, expected {expected} and 0.");
        }
    }

    /// <summary>Ten rounds of five records (one per vital), a minute apart, as a device that was offline uploads them.</summary>
    private static string FiftyRecordPack()
    {
        var records = new List<string>(50);
        for (var round = 0; round < 10; round++)
        {
            var t = (-3600 + round * 60).ToString(CultureInfo.InvariantCulture);
            var first = round == 0 ? "\"bn\":\"urn:dev:id:dev-abcdefghjk:\",\"bt\":1794990000," : string.Empty;
            records.Add($$"""{{{first}}"n":"spo2","u":"%","v":{{95 + round % 3}},"t":{{t}}}""");
            records.Add($$"""{"n":"heart_rate","u":"bpm","v":{{70 + round}},"t":{{t}}}""");
            records.Add($$"""{"n":"systolic_bp","u":"kPa","v":{{(16.5 + round * 0.1).ToString("0.0", CultureInfo.InvariantCulture)}},"t":{{t}}}""");
            records.Add($$"""{"n":"body_temperature","u":"[degF]","v":{{(98.2 + round * 0.1).ToString("0.0", CultureInfo.InvariantCulture)}},"t":{{t}}}""");
            records.Add($$"""{"n":"blood_glucose","u":"mg/dL","v":{{100 + round}},"t":{{t}}}""");
        }
        return "[" + string.Join(",", records) + "]";
    }
}
