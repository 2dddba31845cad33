using Microsoft.Extensions.DependencyInjection;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Readings and telecare events in the embedded store are deleted past Storage:ReadingRetention, and only those.</summary>
public sealed class ReadingRetentionTests
{
    [Fact]
    public async Task Readings_and_events_measured_before_the_retention_are_deleted_in_batches_and_the_rest_kept()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Storage:ReadingRetention"] = "400.00:00:00" });
        var now = DateTimeOffset.UtcNow;
        var readings = platform.Services.GetRequiredService<IReadingStore>();
        var events = platform.Services.GetRequiredService<ITelecareEventStore>();
        // 12,001 readings measured 401 days ago (more than two delete batches), 3 measured 399 days ago.
        var old = Enumerable.Range(0, 12_001).Select(i => new Reading("dev-old", "pat-retention", VitalKind.HeartRate, 70, now.AddDays(-401).AddSeconds(-i), now)).ToList();
        var kept = Enumerable.Range(0, 3).Select(i => new Reading("dev-old", "pat-retention", VitalKind.HeartRate, 71, now.AddDays(-399).AddSeconds(-i), now)).ToList();
        await readings.AppendAsync([.. old, .. kept]);
        await events.AppendAsync(new TelecareEvent("dev-pendant", "pat-retention", TelecareEventType.PendantPress, now.AddDays(-401), now));
        await events.AppendAsync(new TelecareEvent("dev-pendant", "pat-retention", TelecareEventType.PendantPress, now.AddDays(-1), now));

        var pass = await platform.Services.GetRequiredService<RetentionPruner>().PruneOnceAsync(CancellationToken.None);

        Assert.Equal((12_001, 1), (pass.Readings, pass.Events));
        var left = await readings.QueryAsync(new ReadingQuery("pat-retention", Limit: 100_000));
        Assert.Equal(3, left.Count);
        Assert.All(left, r => Assert.Equal(71, r.Value));
        Assert.Single(await events.RecentForPatientAsync("pat-retention", 10));
        Assert.Equal((0, 0), ((await platform.Services.GetRequiredService<RetentionPruner>().PruneOnceAsync(CancellationToken.None)) is var again ? (again.Readings, again.Events) : default));
    }
}
