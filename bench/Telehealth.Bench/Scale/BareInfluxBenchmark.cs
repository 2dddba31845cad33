using System.Diagnostics;
using System.Net;
using System.Text;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.TestSupport;

namespace Telehealth.Bench.Scale;

/// <summary>
/// influxd alone, as the ceiling for the readings store of the split deployment: the platform's own line protocol
/// (<see cref="InfluxLineProtocolWriter"/>, the same tags and fields) in batches of the platform's batch size, posted
/// over HTTP by a few writers at once, then counted back with a query. The lines are formatted before the clock
/// starts: formatting is the platform's cost, not InfluxDB's.
/// </summary>
public static class BareInfluxBenchmark
{
    public static async Task<BareInfluxResult> RunAsync(InfluxServer influx, int devices, int points, int batchSize, int writers,
        ProcessCpuSampler cpu, CancellationToken cancellationToken)
    {
        var database = InfluxServer.NewDatabaseName("bare");
        await influx.CreateDatabaseAsync(database, cancellationToken);
        var perDevice = points / devices / ScalePayload.ReadingsPerMessage;
        var firstSecond = ScalePayload.FirstSecond(perDevice);
        var received = DateTimeOffset.UtcNow;
        var readings = Enumerable.Range(0, devices).SelectMany(d => Enumerable.Range(0, perDevice).SelectMany(m => new[]
        {
            new Reading($"bench-{d:D5}", $"patient-{d:D5}", VitalKind.Spo2, 96 + m % 3, DateTimeOffset.FromUnixTimeSeconds(firstSecond + m), received),
            new Reading($"bench-{d:D5}", $"patient-{d:D5}", VitalKind.HeartRate, 70 + m % 10, DateTimeOffset.FromUnixTimeSeconds(firstSecond + m), received),
        }));
        // Interleaved by device, as a batch of the platform's ingest pipeline holds many devices' readings.
        var ordered = readings.Chunk(perDevice * ScalePayload.ReadingsPerMessage).SelectMany(c => c.Select((r, i) => (r, i))).OrderBy(x => x.i).Select(x => x.r);
        var bodies = ordered.Chunk(batchSize).Select(b => InfluxLineProtocolWriter.Format(b)).ToArray();
        var total = devices * perDevice * ScalePayload.ReadingsPerMessage;

        using var http = new HttpClient { BaseAddress = influx.Url, Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        var failed = 0;
        cpu.Start();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < bodies.Length; i = Interlocked.Increment(ref next))
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "text/plain");
                using var response = await http.PostAsync($"write?db={Uri.EscapeDataString(database)}&precision=ms", content, cancellationToken);
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, cancellationToken)));
        var elapsed = clock.Elapsed;
        var use = cpu.Stop();
        var series = await influx.QueryAsync(database, "SELECT count(\"value\") FROM \"vital_reading\"", cancellationToken);
        var counted = series.GetArrayLength() == 0 ? 0 : series[0].GetProperty("values")[0][1].GetInt64();
        await influx.DropDatabaseAsync(database, cancellationToken);
        return new BareInfluxResult(total, batchSize, writers, failed, counted, elapsed, use);
    }
}
