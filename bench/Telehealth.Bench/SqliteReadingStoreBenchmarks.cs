using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;

namespace Telehealth.Bench;

/// <summary>
/// SqliteReadingStore.AppendAsync of one batch of new readings into a fresh temp database file (schema created,
/// table empty) each iteration, so every iteration measures the same work: one transaction of INSERT OR IGNORE.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SqliteReadingStoreBenchmarks
{
    private static readonly VitalKind[] Kinds = [VitalKind.Spo2, VitalKind.HeartRate, VitalKind.SystolicBp, VitalKind.DiastolicBp, VitalKind.BodyTemperature];

    private string _folder = string.Empty;
    private SqliteReadingStore _store = null!;
    private IReadOnlyList<Reading> _batch = [];

    [Params(1_000, 5_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "telehealth-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _batch = MakeBatch(BatchSize);
    }

    [IterationSetup]
    public void IterationSetup()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db"));
        new SqliteMigrator(database, TimeProvider.System).MigrateAsync().GetAwaiter().GetResult();
        _store = new SqliteReadingStore(database);
    }

    [Benchmark(Description = "AppendAsync (new readings)")]
    public async Task<int> Append()
    {
        var stored = await _store.AppendAsync(_batch);
        if (stored.Count != _batch.Count)
        {
            throw new InvalidOperationException($"Stored {stored.Count} of {_batch.Count} readings.");
        }
        return stored.Count;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>50 devices of 50 patients, five kinds, one reading per kind a minute apart: all distinct identities.</summary>
    private static List<Reading> MakeBatch(int size)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);
        var readings = new List<Reading>(size);
        for (var i = 0; i < size; i++)
        {
            var device = i % 50;
            var kind = Kinds[i / 50 % Kinds.Length];
            var minute = i / (50 * Kinds.Length);
            readings.Add(new Reading($"dev-bench{device:D5}", $"pat-bench{device:D5}", kind, 90 + i % 10, start.AddMinutes(minute), start.AddMinutes(minute).AddSeconds(1)));
        }
        return readings;
    }
}
