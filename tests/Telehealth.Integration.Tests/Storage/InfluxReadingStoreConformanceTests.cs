using Telehealth.Ingest.Storage.Influx;
using Telehealth.TestSupport;
using Telehealth.Contracts.Readings;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>The conformance tests against a real influxd, each test in a database of its own.</summary>
public sealed class InfluxReadingStoreConformanceTests : ReadingStoreConformanceTests, IClassFixture<InfluxServer>
{
    private readonly InfluxServer _server;
    private readonly HttpClient _http = new();
    private readonly string _database = InfluxServer.NewDatabaseName("conformance");

    public InfluxReadingStoreConformanceTests(InfluxServer server)
    {
        _server = server;
    }

    protected override Task<IReadingStore> CreateStoreAsync() =>
        // Small batches so the larger tests also cover chunked writes and per-chunk dedupe.
        Task.FromResult<IReadingStore>(new InfluxReadingStore(_http, new InfluxOptions { Url = _server.Url, Database = _database, BatchSize = 100 }));

    /// <summary>
    /// Readings the care record vouches no acknowledged delivery ever brought are written without asking whether they
    /// are stored: what a never-acknowledged delivery left is replaced (the value written is the one evaluated). The
    /// others are asked about as ever: a different stored value is a conflict and stays.
    /// </summary>
    [Fact]
    public async Task Readings_vouched_for_are_written_without_asking_and_the_others_are_still_checked()
    {
        var store = await CreateStoreAsync();
        await store.InitializeAsync();
        var at = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        Reading Spo2(double value, int minute) => new("dev-v", "pat-v", VitalKind.Spo2, value, at.AddMinutes(minute), at.AddMinutes(10));
        var leftByACrash = Spo2(91, 0);
        Assert.Equal([leftByACrash], (await store.AppendAsync([leftByACrash])).Added);

        var redelivered = Spo2(88, 0);
        var next = Spo2(90, 1);
        var vouched = await store.AppendAsync([redelivered, next], _ => true);
        Assert.Equal([redelivered, next], vouched.Added);
        Assert.Empty(vouched.Conflicts);

        var conflicting = Spo2(70, 1);
        var fresh = Spo2(93, 2);
        var asked = await store.AppendAsync([conflicting, fresh], index => index == 1);
        Assert.Equal([fresh], asked.Added);
        Assert.Equal([conflicting], asked.Conflicts);
        var stored = await store.QueryAsync(new ReadingQuery("pat-v"));
        Assert.Equal([88.0, 90.0, 93.0], stored.Select(r => r.Value));
    }

    protected override async Task DeleteStoreAsync()
    {
        await _server.DropDatabaseAsync(_database);
        _http.Dispose();
    }
}
