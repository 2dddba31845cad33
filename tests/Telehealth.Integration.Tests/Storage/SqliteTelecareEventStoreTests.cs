using Telehealth.Contracts.Events;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Telecare events on every care-record engine: deduplicated by device, type and time; newest first per person.</summary>
public abstract class TelecareEventStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private ITelecareEventStore Store => Get<ITelecareEventStore>();

    private static TelecareEvent Event(TelecareEventType type, int minute, string device = "dev-pend1", string patient = "pat-ab12", int milliseconds = 0) =>
        new(device, patient, type, T0.AddMinutes(minute).AddMilliseconds(milliseconds), T0.AddMinutes(minute).AddSeconds(2));

    [Fact]
    public async Task A_new_event_is_new_and_its_repeat_is_not()
    {
        Assert.True(await Store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));
        Assert.False(await Store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));
        // Redelivered with a later receive time: still the same event.
        Assert.False(await Store.AppendAsync(Event(TelecareEventType.PendantPress, 1) with { ReceivedAt = T0.AddHours(1) }));

        Assert.Single(await Store.RecentForPatientAsync("pat-ab12", 10));
    }

    [Theory]
    [InlineData(TelecareEventType.FallDetected, 1, "dev-pend1", 0)]
    [InlineData(TelecareEventType.PendantPress, 2, "dev-pend1", 0)]
    [InlineData(TelecareEventType.PendantPress, 1, "dev-pend2", 0)]
    [InlineData(TelecareEventType.PendantPress, 1, "dev-pend1", 1)]
    public async Task Events_differing_in_type_time_or_device_are_new(TelecareEventType type, int minute, string device, int milliseconds)
    {
        Assert.True(await Store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));

        Assert.True(await Store.AppendAsync(Event(type, minute, device, milliseconds: milliseconds)));
        Assert.Equal(2, (await Store.RecentForPatientAsync("pat-ab12", 10)).Count);
    }

    [Fact]
    public async Task Recent_events_are_newest_first_limited_and_per_patient()
    {
        await Store.AppendAsync(Event(TelecareEventType.Smoke, 3));
        await Store.AppendAsync(Event(TelecareEventType.PendantPress, 1));
        await Store.AppendAsync(Event(TelecareEventType.DoorExit, 5));
        await Store.AppendAsync(Event(TelecareEventType.LowBattery, 4));
        await Store.AppendAsync(Event(TelecareEventType.FallDetected, 9, "dev-other", "pat-cd34"));

        var recent = await Store.RecentForPatientAsync("pat-ab12", 3);

        Assert.Equal([Event(TelecareEventType.DoorExit, 5), Event(TelecareEventType.LowBattery, 4), Event(TelecareEventType.Smoke, 3)], recent);
        Assert.Equal([Event(TelecareEventType.FallDetected, 9, "dev-other", "pat-cd34")], await Store.RecentForPatientAsync("pat-cd34", 10));
        Assert.Empty(await Store.RecentForPatientAsync("pat-none", 10));
    }

    [Fact]
    public async Task Every_event_type_round_trips()
    {
        for (var i = 0; i < TelecareEventTypes.All.Count; i++)
        {
            Assert.True(await Store.AppendAsync(Event(TelecareEventTypes.All[i], i)));
        }

        var recent = await Store.RecentForPatientAsync("pat-ab12", 100);

        Assert.Equal(TelecareEventTypes.All.Reverse(), recent.Select(e => e.Type));
    }
}

/// <summary>Telecare events on the embedded engine.</summary>
public sealed class SqliteTelecareEventStoreTests() : TelecareEventStoreConformance(new SqliteStoreEngine());

/// <summary>Telecare events on PostgreSQL.</summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresTelecareEventStoreTests(PostgresStoreFixture fixture) : TelecareEventStoreConformance(new PostgresStoreEngine(fixture));
