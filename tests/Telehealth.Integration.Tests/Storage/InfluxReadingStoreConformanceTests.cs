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

    protected override async Task DeleteStoreAsync()
    {
        await _server.DropDatabaseAsync(_database);
        _http.Dispose();
    }
}
