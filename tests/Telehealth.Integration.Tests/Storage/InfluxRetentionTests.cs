using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Retention policies, the downsampling continuous query and partial writes, against a real influxd 1.x.</summary>
public sealed class InfluxRetentionTests : IClassFixture<InfluxServer>, IAsyncLifetime
{
    private const string Patient = "pat-ab12";
    private readonly InfluxServer _server;
    private readonly HttpClient _http = new();
    private readonly string _database = InfluxServer.NewDatabaseName("retention");

    public InfluxRetentionTests(InfluxServer server)
    {
        _server = server;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DropDatabaseAsync(_database);
        _http.Dispose();
    }

    private InfluxOptions Options(TimeSpan? downsample = null, TimeSpan? lateWindow = null) => new()
    {
        Url = _server.Url,
        Database = _database,
        RawRetentionPolicy = "raw",
        RawRetention = TimeSpan.FromHours(1),
        DownsampleInterval = downsample ?? TimeSpan.FromMinutes(1),
        DownsampleLateWindow = lateWindow ?? TimeSpan.FromMinutes(10),
        DownsampledRetentionPolicy = "downsampled",
        DownsampledRetention = TimeSpan.FromDays(400),
    };

    private static Reading HeartRate(DateTimeOffset at, double value, string device = "dev-xy34")
    {
        var deviceTime = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        return new(device, Patient, VitalKind.HeartRate, value, deviceTime, deviceTime.AddSeconds(1));
    }

    private async Task<List<string>> ContinuousQueryNamesAsync() =>
        (await new InfluxRetentionSetup(new InfluxQueryClient(_http, Options()), Options()).ContinuousQueriesAsync(CancellationToken.None)).Order().ToList();

    [Fact]
    public async Task Start_creates_the_raw_default_and_downsampled_policies_and_one_continuous_query_and_repeating_it_changes_nothing()
    {
        using var store = new InfluxReadingStore(_http, Options());

        await store.InitializeAsync();
        await store.InitializeAsync();

        var setup = new InfluxRetentionSetup(new InfluxQueryClient(_http, Options()), Options());
        var policies = await setup.RetentionPoliciesAsync(CancellationToken.None);
        Assert.Equal(("1h0m0s", true), policies["raw"]);
        Assert.Equal(("9600h0m0s", false), policies["downsampled"]);
        Assert.False(policies["autogen"].IsDefault);
        Assert.Equal(["cq_vital_reading_ds_60s_for_600s_raw_to_downsampled"], await ContinuousQueryNamesAsync());
    }

    [Fact]
    public async Task Changed_settings_alter_the_policy_and_replace_the_continuous_query()
    {
        using (var first = new InfluxReadingStore(_http, Options()))
        {
            await first.InitializeAsync();
        }
        var changed = Options(downsample: TimeSpan.FromMinutes(5), lateWindow: TimeSpan.FromMinutes(30));
        changed.RawRetention = TimeSpan.FromHours(48);
        using var second = new InfluxReadingStore(_http, changed);

        await second.InitializeAsync();

        var policies = await new InfluxRetentionSetup(new InfluxQueryClient(_http, changed), changed).RetentionPoliciesAsync(CancellationToken.None);
        Assert.Equal(("48h0m0s", true), policies["raw"]);
        Assert.Equal(["cq_vital_reading_ds_300s_for_1800s_raw_to_downsampled"], await ContinuousQueryNamesAsync());
    }

    [Fact]
    public async Task Readings_older_than_raw_retention_are_refused_with_the_reason_and_the_rest_stored_once()
    {
        using var store = new InfluxReadingStore(_http, Options());
        await store.InitializeAsync();
        var now = DateTimeOffset.UtcNow;
        var recent = new[] { HeartRate(now.AddMinutes(-5), 71), HeartRate(now.AddMinutes(-4), 72), HeartRate(now.AddMinutes(-3), 73) };
        var old = new[] { HeartRate(now.AddDays(-2), 61), HeartRate(now.AddDays(-2).AddMinutes(1), 62) };
        var batch = new[] { recent[0], old[0], recent[1], old[1], recent[2], old[0] };

        var result = await store.AppendAsync(batch);

        Assert.Equal(recent, result);
        Assert.Empty(result.Conflicts);
        // InfluxDB stored the good lines of the partial write and dropped the old ones: refused, each with the reason
        // (the repeat of a refused reading is refused with it).
        Assert.Equal([old[0], old[1], old[0]], result.Refused.Select(r => r.Reading));
        Assert.All(result.Refused, r => Assert.Equal("partial write: points beyond retention policy dropped=2", r.Reason));
        Assert.Equal(recent, await store.QueryAsync(new ReadingQuery(Patient)));

        // A resend (the devices were not told "stored" for the batch) duplicates nothing and loses nothing.
        var again = await store.AppendAsync(batch);

        Assert.Empty(again);
        Assert.Equal(3, again.Refused.Count);
        Assert.Equal(recent, await store.QueryAsync(new ReadingQuery(Patient)));
    }

    [Fact]
    public async Task The_continuous_query_keeps_min_max_sum_and_count_per_interval_in_the_downsampled_policy()
    {
        using var store = new InfluxReadingStore(_http, Options(downsample: TimeSpan.FromSeconds(1), lateWindow: TimeSpan.FromSeconds(60)));
        await store.InitializeAsync();
        var bucket = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);
        await store.AppendAsync([HeartRate(bucket.AddMilliseconds(100), 60), HeartRate(bucket.AddMilliseconds(200), 70), HeartRate(bucket.AddMilliseconds(300), 80)]);
        var query = new InfluxQueryClient(_http, Options());

        // The query service runs every second (the test server's run-interval) and recomputes the last 60 s each time.
        var row = await Eventually.GetAsync(async () =>
        {
            var results = await query.QueryAsync(
                $"SELECT \"min\", \"max\", \"sum\", \"count\", \"device_id\" FROM \"downsampled\".\"vital_reading_ds\" WHERE time = {bucket.ToUnixTimeMilliseconds()}ms");
            return results.SelectMany(r => r.Series).SelectMany(s => s.Values).SingleOrDefault();
        }, r => r is not null && r[4].GetInt64() == 3, TimeSpan.FromSeconds(30));

        Assert.Equal(bucket.ToUnixTimeMilliseconds(), row![0].GetInt64());
        Assert.Equal((60.0, 80.0, 210.0, 3L, "dev-xy34"), (row[1].GetDouble(), row[2].GetDouble(), row[3].GetDouble(), row[4].GetInt64(), row[5].GetString()));
    }

    [Fact]
    public async Task A_summary_reaching_past_raw_retention_takes_old_intervals_from_the_downsampled_policy()
    {
        var options = Options();
        using var store = new InfluxReadingStore(_http, options);
        await store.InitializeAsync();
        var now = DateTimeOffset.UtcNow;
        var oldHour = DateTimeOffset.FromUnixTimeSeconds(now.AddHours(-3).ToUnixTimeSeconds() / 3600 * 3600);
        // What the continuous query left for two devices of the patient three hours ago (raw points long expired).
        var writer = new InfluxWriteClient(_http, new InfluxOptions { Url = _server.Url, Database = _database, RawRetentionPolicy = "downsampled" });
        await writer.WriteAsync(
            $"vital_reading_ds,device_id=dev-a,kind=heart_rate,patient_id={Patient} min=60,max=80,sum=210,count=3i {oldHour.AddMinutes(5).ToUnixTimeMilliseconds()}\n" +
            $"vital_reading_ds,device_id=dev-b,kind=heart_rate,patient_id={Patient} min=50,max=90,sum=140,count=2i {oldHour.AddMinutes(6).ToUnixTimeMilliseconds()}\n" +
            $"vital_reading_ds,device_id=dev-a,kind=spo2,patient_id={Patient} min=90,max=99,sum=189,count=2i {oldHour.AddMinutes(7).ToUnixTimeMilliseconds()}");
        var recentAt = now.AddMinutes(-10);
        await store.AppendAsync([HeartRate(recentAt, 100), HeartRate(recentAt.AddSeconds(1), 110)]);
        var recentHour = DateTimeOffset.FromUnixTimeSeconds(recentAt.ToUnixTimeSeconds() / 3600 * 3600);

        var buckets = await store.SummarizeAsync(new ReadingSummaryQuery(Patient, VitalKind.HeartRate, oldHour.AddHours(-1), now, TimeSpan.FromHours(1)));

        Assert.Equal(
            [new ReadingBucket(oldHour, 50, 70, 90, 5), new ReadingBucket(recentHour, 100, 105, 110, 2)],
            buckets);
    }
}
