using Telehealth.Contracts.Events;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Integration.Tests.Storage;

public sealed class SqliteTelecareEventStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteFile _file = new();
    private SqliteTelecareEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteTelecareEventStore(new SqliteDatabase(_file.Path));
        await _store.InitializeAsync();
        await _store.InitializeAsync();
    }

    public Task DisposeAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }

    private static TelecareEvent Event(TelecareEventType type, int minute, string device = "dev-pend1", string patient = "pat-ab12", int milliseconds = 0) =>
        new(device, patient, type, T0.AddMinutes(minute).AddMilliseconds(milliseconds), T0.AddMinutes(minute).AddSeconds(2));

    [Fact]
    public async Task A_new_event_is_new_and_its_repeat_is_not()
    {
        Assert.True(await _store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));
        Assert.False(await _store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));
        // Redelivered with a later receive time: still the same event.
        Assert.False(await _store.AppendAsync(Event(TelecareEventType.PendantPress, 1) with { ReceivedAt = T0.AddHours(1) }));

        Assert.Single(await _store.RecentForPatientAsync("pat-ab12", 10));
    }

    [Theory]
    [InlineData(TelecareEventType.FallDetected, 1, "dev-pend1", 0)]
    [InlineData(TelecareEventType.PendantPress, 2, "dev-pend1", 0)]
    [InlineData(TelecareEventType.PendantPress, 1, "dev-pend2", 0)]
    [InlineData(TelecareEventType.PendantPress, 1, "dev-pend1", 1)]
    public async Task Events_differing_in_type_time_or_device_are_new(TelecareEventType type, int minute, string device, int milliseconds)
    {
        Assert.True(await _store.AppendAsync(Event(TelecareEventType.PendantPress, 1)));

        Assert.True(await _store.AppendAsync(Event(type, minute, device, milliseconds: milliseconds)));
        Assert.Equal(2, (await _store.RecentForPatientAsync("pat-ab12", 10)).Count);
    }

    [Fact]
    public async Task Recent_events_are_newest_first_limited_and_per_patient()
    {
        await _store.AppendAsync(Event(TelecareEventType.Smoke, 3));
        await _store.AppendAsync(Event(TelecareEventType.PendantPress, 1));
        await _store.AppendAsync(Event(TelecareEventType.DoorExit, 5));
        await _store.AppendAsync(Event(TelecareEventType.LowBattery, 4));
        await _store.AppendAsync(Event(TelecareEventType.FallDetected, 9, "dev-other", "pat-cd34"));

        var recent = await _store.RecentForPatientAsync("pat-ab12", 3);

        Assert.Equal([Event(TelecareEventType.DoorExit, 5), Event(TelecareEventType.LowBattery, 4), Event(TelecareEventType.Smoke, 3)], recent);
        Assert.Equal([Event(TelecareEventType.FallDetected, 9, "dev-other", "pat-cd34")], await _store.RecentForPatientAsync("pat-cd34", 10));
        Assert.Empty(await _store.RecentForPatientAsync("pat-none", 10));
    }

    [Fact]
    public async Task Every_event_type_round_trips()
    {
        for (var i = 0; i < TelecareEventTypes.All.Count; i++)
        {
            Assert.True(await _store.AppendAsync(Event(TelecareEventTypes.All[i], i)));
        }

        var recent = await _store.RecentForPatientAsync("pat-ab12", 100);

        Assert.Equal(TelecareEventTypes.All.Reverse(), recent.Select(e => e.Type));
    }
}
