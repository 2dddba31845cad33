using Telehealth.Contracts.Rejections;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Ingest;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>The rejection log on every care-record engine: newest first, a row ceiling, exact all-time counts, team scope.</summary>
public abstract class RejectionLogConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private const int DefaultRetainedRows = 1_000_000;
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A log object of the engine on the test's database (a new one is another process's view).</summary>
    protected abstract LogUnderTest Create(int retainedRows);

    private Task<LogUnderTest> CreateAsync(int retainedRows = DefaultRetainedRows) => Task.FromResult(Create(retainedRows));

    /// <summary>The log's two faces (recording and querying) as one object for the tests.</summary>
    protected sealed class LogUnderTest(IRejectionLog log, IRejectionQueries queries)
    {
        public ValueTask RecordAsync(Rejection rejection) => log.RecordAsync(rejection);

        public Task<IReadOnlyList<Rejection>> RecentAsync(int limit) => log.RecentAsync(limit);

        public Task<IReadOnlyList<StoredRejection>> QueryAsync(RejectionQuery query) => queries.QueryAsync(query);

        public Task<IReadOnlyList<RejectionCount>> CountAsync(RejectionScope scope, string? deviceId = null) => queries.CountAsync(scope, deviceId);

        public Task<IReadOnlyDictionary<string, long>> CountsByReasonAsync() => queries.CountsByReasonAsync();

        public Task<int> PruneAsync(DateTimeOffset cutoff) => queries.PruneAsync(cutoff);
    }

    private static Rejection Rejected(int n, string reason, string? deviceId = "dev-xy34") =>
        new(T0.AddSeconds(n), deviceId, "mqtt", reason, $"rejection {n}");

    [Fact]
    public async Task Recent_rejections_are_newest_first_and_round_trip()
    {
        var log = await CreateAsync();
        await log.RecordAsync(Rejected(1, RejectionReasons.MalformedJson));
        await log.RecordAsync(Rejected(2, RejectionReasons.UnknownUnit, deviceId: null));
        await log.RecordAsync(Rejected(3, RejectionReasons.Implausible));

        var recent = await log.RecentAsync(2);

        Assert.Equal([Rejected(3, RejectionReasons.Implausible), Rejected(2, RejectionReasons.UnknownUnit, deviceId: null)], recent);
    }

    [Theory]
    [InlineData(10, 25)]
    [InlineData(10, 10)]
    [InlineData(1, 7)]
    [InlineData(50, 30)]
    public async Task Old_rows_are_pruned_but_counts_stay_exact(int retained, int recorded)
    {
        var log = await CreateAsync(retained);
        for (var n = 1; n <= recorded; n++)
        {
            await log.RecordAsync(Rejected(n, n % 3 == 0 ? RejectionReasons.UnknownDevice : RejectionReasons.MalformedJson));
        }

        var recent = await log.RecentAsync(1_000);
        var counts = await log.CountsByReasonAsync();

        var kept = Math.Min(retained, recorded);
        Assert.Equal(Enumerable.Range(recorded - kept + 1, kept).Reverse().Select(n => $"rejection {n}"), recent.Select(r => r.Detail));
        Assert.Equal(recorded / 3, counts.GetValueOrDefault(RejectionReasons.UnknownDevice));
        Assert.Equal(recorded - recorded / 3, counts[RejectionReasons.MalformedJson]);
        Assert.Equal(recorded, counts.Values.Sum());
    }

    [Fact]
    public async Task Counts_survive_a_new_instance_over_the_same_file()
    {
        var first = await CreateAsync(retainedRows: 2);
        for (var n = 0; n < 5; n++)
        {
            await first.RecordAsync(Rejected(n, RejectionReasons.BadCredentials));
        }

        var second = await CreateAsync(retainedRows: 2);
        await second.RecordAsync(Rejected(5, RejectionReasons.BadCredentials));

        Assert.Equal(6, (await second.CountsByReasonAsync())[RejectionReasons.BadCredentials]);
        Assert.Equal(2, (await second.RecentAsync(10)).Count);
    }

    [Fact]
    public async Task A_huge_detail_is_truncated_so_a_flood_cannot_fill_the_disk()
    {
        var log = await CreateAsync();
        await log.RecordAsync(Rejected(1, RejectionReasons.PayloadTooLarge) with { Detail = new string('x', 100_000) });

        var stored = Assert.Single(await log.RecentAsync(1));

        Assert.Equal(1_000, stored.Detail.Length); // MaxDetailLength of both engines
    }

    public static TheoryData<string, string[]> ScopeCases() => new()
    {
        // Team devices only: another team's device, an unknown id and a device-less row are never shown.
        { "team", ["mine-1", "mine-2"] },
        // An admin of the team also sees rows that belong to no known device, never another team's device.
        { "admin", ["mine-1", "mine-2", "dev-unknown", "(none)"] },
        { "empty-team", [] },
        { "empty-team-admin", ["dev-unknown", "(none)"] },
    };

    [Theory]
    [MemberData(nameof(ScopeCases))]
    public async Task The_scope_is_applied_in_the_query(string caller, string[] expectedDevices)
    {
        var log = await CreateAsync();
        var devices = new[] { "mine-1", "theirs", "mine-2", "dev-unknown", null };
        for (var n = 0; n < devices.Length; n++)
        {
            await log.RecordAsync(Rejected(n, RejectionReasons.MalformedJson, devices[n]));
        }
        string[] known = ["mine-1", "mine-2", "theirs"];
        var scope = caller switch
        {
            "team" => new RejectionScope(["mine-1", "mine-2"], null),
            "admin" => new RejectionScope(["mine-1", "mine-2"], known),
            "empty-team" => new RejectionScope([], null),
            _ => new RejectionScope([], known),
        };

        var page = await log.QueryAsync(new RejectionQuery(scope, null, null, null, 100));
        var counts = await log.CountAsync(scope);

        Assert.Equal(expectedDevices.Order(), page.Select(r => r.Rejection.DeviceId ?? "(none)").Order());
        Assert.Equal(expectedDevices.Length, counts.Sum(c => c.Count));
    }

    [Fact]
    public async Task Pages_filter_by_device_and_reason_and_continue_before_an_id()
    {
        var log = await CreateAsync();
        for (var n = 0; n < 7; n++)
        {
            await log.RecordAsync(Rejected(n, n % 2 == 0 ? RejectionReasons.MalformedJson : RejectionReasons.UnknownUnit, n < 6 ? "noisy" : "quiet"));
        }
        var scope = new RejectionScope(["noisy", "quiet"], null);

        var first = await log.QueryAsync(new RejectionQuery(scope, "noisy", null, null, 2));
        var next = await log.QueryAsync(new RejectionQuery(scope, "noisy", null, first[^1].Id, 2));
        var malformed = await log.QueryAsync(new RejectionQuery(scope, "noisy", RejectionReasons.MalformedJson, null, 100));
        var quiet = await log.QueryAsync(new RejectionQuery(scope, "quiet", null, null, 100));
        var counts = await log.CountAsync(scope);

        Assert.Equal(["rejection 5", "rejection 4"], first.Select(r => r.Rejection.Detail));
        Assert.Equal(["rejection 3", "rejection 2"], next.Select(r => r.Rejection.Detail));
        Assert.Equal(["rejection 4", "rejection 2", "rejection 0"], malformed.Select(r => r.Rejection.Detail));
        Assert.Equal(["rejection 6"], quiet.Select(r => r.Rejection.Detail));
        Assert.Equal(
            [
                new RejectionCount("noisy", RejectionReasons.MalformedJson, 3, T0.AddSeconds(4)),
                new RejectionCount("noisy", RejectionReasons.UnknownUnit, 3, T0.AddSeconds(5)),
                new RejectionCount("quiet", RejectionReasons.MalformedJson, 1, T0.AddSeconds(6)),
            ],
            counts);
    }

    [Fact]
    public async Task Pruning_removes_exactly_the_rows_older_than_the_cutoff()
    {
        var log = await CreateAsync();
        for (var n = 0; n < 5; n++)
        {
            await log.RecordAsync(Rejected(n, RejectionReasons.MalformedJson));
        }

        var removed = await log.PruneAsync(T0.AddSeconds(3));

        Assert.Equal(3, removed);
        Assert.Equal(["rejection 4", "rejection 3"], (await log.RecentAsync(10)).Select(r => r.Detail));
    }
}

/// <summary>The rejection log on the embedded engine.</summary>
public sealed class SqliteRejectionLogTests() : RejectionLogConformance(new SqliteStoreEngine())
{
    protected override LogUnderTest Create(int retainedRows)
    {
        var log = new SqliteRejectionLog(Get<SqliteDatabase>(), retainedRows);
        return new(log, log);
    }
}

/// <summary>The rejection log on PostgreSQL.</summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresRejectionLogTests(PostgresStoreFixture fixture) : RejectionLogConformance(new PostgresStoreEngine(fixture))
{
    protected override LogUnderTest Create(int retainedRows)
    {
        var log = new PostgresRejectionLog(Get<PostgresDatabase>(), retainedRows);
        return new(log, log);
    }
}
