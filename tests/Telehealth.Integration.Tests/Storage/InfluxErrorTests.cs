using System.Net;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Server refusals reach the caller as <see cref="InfluxException"/> carrying InfluxDB's own message.</summary>
public sealed class InfluxErrorTests : IClassFixture<InfluxServer>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly InfluxServer _server;
    private readonly HttpClient _http = new();

    public InfluxErrorTests(InfluxServer server)
    {
        _server = server;
    }

    public void Dispose() => _http.Dispose();

    private InfluxOptions Options(string database) => new() { Url = _server.Url, Database = database };

    private static Reading HeartRate(int minute) =>
        new("dev-xy34", "pat-ab12", VitalKind.HeartRate, 70 + minute, T0.AddMinutes(minute), T0.AddMinutes(minute).AddSeconds(1));

    [Fact]
    public async Task A_database_dropped_while_running_is_created_again_and_the_append_stored()
    {
        var database = InfluxServer.NewDatabaseName("dropped");
        using var store = new InfluxReadingStore(_http, Options(database));
        await store.InitializeAsync();
        await store.AppendAsync([HeartRate(1)]);
        await _server.DropDatabaseAsync(database);

        var added = await store.AppendAsync([HeartRate(2), HeartRate(3)]);

        Assert.Equal([HeartRate(2), HeartRate(3)], added);
        Assert.Equal([HeartRate(2), HeartRate(3)], await store.QueryAsync(new(HeartRate(1).PatientId)));
        await _server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Writing_to_a_missing_database_throws_http_404_with_the_server_message()
    {
        var writer = new InfluxWriteClient(_http, Options(InfluxServer.NewDatabaseName("missing")));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => writer.WriteAsync(InfluxLineProtocolWriter.Format([HeartRate(1)])));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("database not found", exception.ServerMessage);
        Assert.Equal("write", exception.Operation);
    }

    [Fact]
    public async Task A_field_type_conflict_is_a_partial_write_whose_points_are_refused_with_the_server_reason()
    {
        var database = InfluxServer.NewDatabaseName("conflict");
        using var store = new InfluxReadingStore(_http, Options(database));
        await store.InitializeAsync();
        // Someone else wrote "value" as a string into the same measurement: our float field now conflicts.
        await new InfluxWriteClient(_http, Options(database)).WriteAsync(
            $"vital_reading,device_id=dev-other,kind=heart_rate,patient_id=pat-other value=\"oops\" {T0.ToUnixTimeMilliseconds()}");

        var result = await store.AppendAsync([HeartRate(1), HeartRate(2)]);

        Assert.Empty(result);
        Assert.Empty(result.Conflicts);
        Assert.Equal([HeartRate(1), HeartRate(2)], result.Refused.Select(r => r.Reading));
        Assert.All(result.Refused, r => Assert.Contains("field type conflict", r.Reason));
        Assert.All(result.Refused, r => Assert.Contains("partial write", r.Reason));
        Assert.Empty(await store.QueryAsync(new(HeartRate(1).PatientId)));
        await _server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task A_write_client_partial_write_throws_with_the_dropped_count()
    {
        var database = InfluxServer.NewDatabaseName("partial");
        await _server.CreateDatabaseAsync(database);
        var writer = new InfluxWriteClient(_http, Options(database));
        await writer.WriteAsync($"m,t=a value=1 {T0.ToUnixTimeMilliseconds()}");

        // The second line conflicts (string into a float field), the first and third are good.
        var exception = await Assert.ThrowsAsync<InfluxException>(() => writer.WriteAsync(
            $"m,t=b value=2 {T0.ToUnixTimeMilliseconds()}\nm,t=c value=\"x\" {T0.ToUnixTimeMilliseconds()}\nm,t=d value=4 {T0.ToUnixTimeMilliseconds()}"));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.True(exception.IsPartialWrite);
        Assert.Equal(1, exception.DroppedCount);
        // The good lines WERE stored: that is why a partial write is never resent as a whole.
        var rows = await new InfluxQueryClient(_http, Options(database)).QueryAsync("SELECT count(\"value\") FROM \"m\"");
        Assert.Equal(3, rows.Single().Series.Single().Values.Single()[1].GetInt64());
        await _server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task A_malformed_line_throws_http_400_with_the_parser_message()
    {
        var database = InfluxServer.NewDatabaseName("malformed");
        await _server.CreateDatabaseAsync(database);
        var writer = new InfluxWriteClient(_http, Options(database));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => writer.WriteAsync("vital_reading,device_id= value=1 1000"));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Contains("unable to parse", exception.ServerMessage);
        await _server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task An_invalid_query_throws_with_the_parse_error()
    {
        var client = new InfluxQueryClient(_http, Options("whatever"));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => client.QueryAsync("SELEKT nothing"));

        Assert.Contains("error parsing query", exception.ServerMessage);
    }

    [Fact]
    public async Task An_unreachable_server_throws_the_same_exception_type()
    {
        var closedPort = FreePort.Next();
        using var store = new InfluxReadingStore(_http, new InfluxOptions { Url = new Uri($"http://127.0.0.1:{closedPort}/"), Database = "x" });

        var exception = await Assert.ThrowsAsync<InfluxException>(() => store.InitializeAsync());

        Assert.Null(exception.StatusCode);
        Assert.Contains("could not reach", exception.ServerMessage);
    }
}
