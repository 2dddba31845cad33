using System.Net;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>
/// Our InfluxDB client against answers a real influxd 1.6 cannot be made to give on demand (413, 429/503 with
/// Retry-After, no answer, the 2.x write API), from a real HTTP server on a free port (<see cref="InfluxWireServer"/>).
/// </summary>
public sealed class InfluxWireTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private InfluxWireServer _server = null!;

    public async Task InitializeAsync() => _server = await InfluxWireServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private InfluxOptions V1(Action<InfluxOptions>? change = null)
    {
        var options = new InfluxOptions { Url = _server.BaseAddress, Database = "telehealth", MaxRetryDelay = TimeSpan.FromSeconds(5) };
        change?.Invoke(options);
        return options;
    }

    private static List<string> Lines(int count) =>
        Enumerable.Range(0, count).Select(i => InfluxLineProtocolWriter.Format([HeartRate(i)]).TrimEnd('\n')).ToList();

    private static Reading HeartRate(int minute) =>
        new("dev-xy34", "pat-ab12", VitalKind.HeartRate, 60 + minute, T0.AddMinutes(minute), T0.AddMinutes(minute).AddSeconds(1));

    [Fact]
    public async Task V2_writes_to_api_v2_write_with_org_bucket_precision_and_a_token()
    {
        var client = new InfluxWriteClient(_http, V1(o =>
        {
            o.ApiVersion = InfluxApiVersion.V2;
            o.Org = "nhs trust";
            o.Bucket = "vitals/raw";
            o.Token = "tok-123";
        }));

        var rejected = await client.WriteLinesAsync(Lines(3));

        Assert.Empty(rejected);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/write?org=nhs%20trust&bucket=vitals%2Fraw&precision=ms", request.PathAndQuery);
        Assert.Equal("Token tok-123", request.Authorization);
        Assert.Equal(Lines(3), request.Lines);
    }

    [Fact]
    public async Task V1_writes_to_write_with_db_rp_precision_and_basic_auth()
    {
        var client = new InfluxWriteClient(_http, V1(o =>
        {
            o.RawRetentionPolicy = "raw";
            o.Username = "ingest";
            o.Password = "pw";
        }));

        await client.WriteLinesAsync(Lines(2));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/write?db=telehealth&rp=raw&precision=ms", request.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String("ingest:pw"u8.ToArray()), request.Authorization);
    }

    [Fact]
    public async Task A_413_splits_the_batch_until_it_fits_and_every_line_arrives_once()
    {
        // Like InfluxDB's max-body-size: more than 3 lines is too large.
        _server.AnswerWith(r => r.Lines.Count > 3 ? new InfluxWireAnswer(413, "Request Entity Too Large") : InfluxWireAnswer.Stored);
        var client = new InfluxWriteClient(_http, V1());

        var rejected = await client.WriteLinesAsync(Lines(10));

        Assert.Empty(rejected);
        var requests = _server.Requests;
        // 10 → 5+5 → (2+3)+(2+3): three refused, four stored.
        Assert.Equal([10, 5, 2, 3, 5, 2, 3], requests.Select(r => r.Lines.Count));
        var stored = requests.Where(r => r.Lines.Count <= 3).SelectMany(r => r.Lines).ToList();
        Assert.Equal(Lines(10), stored);
    }

    [Fact]
    public async Task A_single_line_still_too_large_is_rejected_not_retried()
    {
        _server.AnswerWith(r => r.Lines.Any(l => l.Contains("value=63", StringComparison.Ordinal)) ? new InfluxWireAnswer(413) : InfluxWireAnswer.Stored);
        var client = new InfluxWriteClient(_http, V1());

        var rejected = await client.WriteLinesAsync(Lines(4));

        var line = Assert.Single(rejected);
        Assert.Equal((3, 1, false), (line.Start, line.Count, line.SomeMayBeStored));
        Assert.Contains("413", line.Reason);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Too_many_requests_and_unavailable_are_waited_out_as_retry_after_says(int status)
    {
        var answered = 0;
        _server.AnswerWith(_ => Interlocked.Increment(ref answered) <= 2 ? new InfluxWireAnswer(status, "busy", RetryAfter: "1") : InfluxWireAnswer.Stored);
        var client = new InfluxWriteClient(_http, V1());

        var rejected = await client.WriteLinesAsync(Lines(5));

        Assert.Empty(rejected);
        Assert.Equal(3, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(Lines(5), r.Lines));
    }

    [Fact]
    public async Task After_max_attempts_the_last_answer_is_thrown()
    {
        _server.AnswerWith(_ => new InfluxWireAnswer(503, "engine overloaded", RetryAfter: "0"));
        var client = new InfluxWriteClient(_http, V1(o => o.MaxAttempts = 3));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => client.WriteLinesAsync(Lines(1)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Equal("engine overloaded", exception.ServerMessage);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task No_answer_within_the_request_timeout_throws_a_timeout_with_unknown_outcome()
    {
        _server.AnswerWith(_ => InfluxWireAnswer.NoAnswer);
        var client = new InfluxWriteClient(_http, V1(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => client.WriteLinesAsync(Lines(2)));

        Assert.True(exception.TimedOut);
        Assert.Null(exception.StatusCode);
        Assert.Contains("RequestTimeout", exception.ServerMessage);
        Assert.Single(_server.Requests); // not retried blindly: the store asks what landed before writing again
    }

    [Fact]
    public async Task A_2x_partial_write_422_is_reported_as_lines_that_may_be_stored()
    {
        _server.AnswerWith(_ => new InfluxWireAnswer(422, "failure writing points to database: partial write: points beyond retention policy dropped=1"));
        var client = new InfluxWriteClient(_http, V1(o =>
        {
            o.ApiVersion = InfluxApiVersion.V2;
            o.Org = "o";
            o.Bucket = "b";
            o.Token = "t";
        }));

        var rejected = Assert.Single(await client.WriteLinesAsync(Lines(3)));

        Assert.Equal((0, 3, true), (rejected.Start, rejected.Count, rejected.SomeMayBeStored));
        Assert.Contains("beyond retention policy", rejected.Reason);
    }

    [Fact]
    public async Task A_missing_2x_bucket_fails_with_a_message_naming_it()
    {
        using var store = new InfluxReadingStore(_http, V1(o =>
        {
            o.ApiVersion = InfluxApiVersion.V2;
            o.Org = "trust";
            o.Bucket = "b";
            o.Token = "t";
        }));
        _server.AnswerWith(r => r.PathAndQuery.StartsWith("/query", StringComparison.Ordinal)
            ? InfluxWireAnswer.EmptyQueryResult
            : new InfluxWireAnswer(404, "bucket \"b\" not found"));

        var exception = await Assert.ThrowsAsync<InfluxException>(() => store.AppendAsync([HeartRate(1)]));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("bucket 'b' of organisation 'trust' not found", exception.ServerMessage);
    }

    [Theory]
    [InlineData("1", null, 1, 30, 1_000)]
    [InlineData("120", null, 1, 30, 30_000)]
    [InlineData("0", null, 1, 30, 0)]
    [InlineData(null, null, 1, 30, 1_000)]
    [InlineData(null, null, 3, 30, 4_000)]
    [InlineData(null, null, 9, 30, 30_000)]
    [InlineData(null, 5, 1, 30, 5_000)]
    [InlineData(null, -5, 1, 30, 0)]
    public void Retry_delay_follows_retry_after_seconds_or_date_else_doubles_capped(string? seconds, int? dateInSeconds, int attempt, int maxSeconds, int expectedMs)
    {
        var now = new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (seconds is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", seconds);
        }
        if (dateInSeconds is { } offset)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(offset));
        }

        var delay = InfluxWriteClient.RetryDelay(response, attempt, now, TimeSpan.FromSeconds(maxSeconds));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }
}
