using Telehealth.Contracts.Rejections;
using Telehealth.Ingest.Storage.Sqlite;
using Telehealth.Storage;

namespace Telehealth.Integration.Tests.Storage;

public sealed class SqliteRejectionLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private async Task<SqliteRejectionLog> CreateAsync(int retainedRows = SqliteRejectionLog.DefaultRetainedRows)
    {
        var log = new SqliteRejectionLog(new SqliteDatabase(_file.Path), retainedRows);
        await log.InitializeAsync();
        return log;
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

        Assert.Equal(SqliteRejectionLog.MaxDetailLength, stored.Detail.Length);
    }
}
