using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Devices;
using Telehealth.Gateway.Ingress;
using Telehealth.Storage.Sqlite.Devices;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Devices;

/// <summary>
/// The ingest path's device lookups on the real SQLite registry, counted: reused within the TTL, read again after
/// it, and dropped at once by every change this instance makes (a revoked device is refused from its next message).
/// </summary>
public sealed class DeviceLookupCacheTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly DeviceAccessChanges _changes = new();
    private readonly SqliteDeviceRegistry _registry;
    private readonly IDeviceRegistry _counted;
    private readonly ConcurrentDictionary<string, int> _calls;

    public DeviceLookupCacheTests()
    {
        _registry = new SqliteDeviceRegistry(_database.Database, _clock, _changes);
        _counted = CountingRegistry.Wrap(_registry, out _calls);
    }

    public void Dispose() => _database.Dispose();

    private DeviceLookupCache Cache(double ttlSeconds = 5) =>
        new(_counted, _changes, Options.Create(new DeviceIngressOptions { LookupCacheTtl = TimeSpan.FromSeconds(ttlSeconds) }), _clock);

    private int Reads => _calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAsync)) + _calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAssignmentsAsync));

    [Fact]
    public async Task A_device_s_record_and_history_are_read_once_per_TTL_not_once_per_message()
    {
        var device = (await _registry.RegisterAsync("pat-1", DeviceType.PulseOximeter)).Device;
        using var cache = Cache();

        for (var message = 0; message < 100; message++)
        {
            Assert.Equal("pat-1", (await cache.GetAsync(device.DeviceId, default))!.PatientId);
            Assert.Single((await cache.GetAssignmentsAsync(device.DeviceId, default)).Periods);
            _clock.Advance(TimeSpan.FromMilliseconds(40));   // 100 messages in 4 s: inside one TTL
        }
        Assert.Equal(2, Reads);
        Assert.Equal(199, cache.Hits);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(device.DeviceId, default);
        Assert.Equal(4, Reads);
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("assign")]
    [InlineData("retrieve")]
    [InlineData("rotate")]
    public async Task Every_change_made_through_this_instance_is_seen_by_the_next_message(string change)
    {
        var device = (await _registry.RegisterAsync("pat-1", DeviceType.PulseOximeter)).Device;
        using var cache = Cache();
        await cache.GetAsync(device.DeviceId, default);

        switch (change)
        {
            case "revoke": await _registry.RevokeAsync(device.DeviceId); break;
            case "assign": await _registry.AssignAsync(device.DeviceId, "pat-2"); break;
            case "retrieve": await _registry.RetrieveAsync(device.DeviceId); break;
            default: await _registry.RotateSecretAsync(device.DeviceId); break;
        }
        var seen = (await cache.GetAsync(device.DeviceId, default))!;

        Assert.Equal(4, Reads);   // read again, not answered from memory
        switch (change)
        {
            case "revoke": Assert.NotNull(seen.RevokedAt); break;
            case "assign": Assert.Equal(("pat-2", 2), (seen.PatientId, (await cache.GetAssignmentsAsync(device.DeviceId, default)).Periods.Count)); break;
            case "retrieve": Assert.False(seen.IsAssigned); break;
        }
    }

    [Fact]
    public async Task An_unknown_device_is_never_remembered_so_registering_it_takes_effect_at_once()
    {
        using var cache = Cache();

        Assert.Null(await cache.GetAsync("dev-unknown", default));
        Assert.Null(await cache.GetAsync("dev-unknown", default));

        Assert.Equal(2, _calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAsync)));
        Assert.Equal(0, _calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAssignmentsAsync)));
    }

    [Fact]
    public async Task Messages_of_one_device_that_miss_together_share_one_read_of_the_registry()
    {
        var device = (await _registry.RegisterAsync("pat-1", DeviceType.PulseOximeter)).Device;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = CountingRegistry.Wrap(_registry, out var calls, holdRecordReads: release.Task);
        using var cache = new DeviceLookupCache(held, _changes,
            Options.Create(new DeviceIngressOptions { LookupCacheTtl = TimeSpan.FromSeconds(5) }), _clock);

        // Ten messages in flight when the entry is missing: all wait on the one read.
        var lookups = Enumerable.Range(0, 10).Select(_ => cache.GetAsync(device.DeviceId, default)).ToList();
        Assert.All(lookups, lookup => Assert.False(lookup.IsCompleted));
        release.SetResult();
        var seen = await Task.WhenAll(lookups);

        Assert.All(seen, record => Assert.Equal("pat-1", record!.PatientId));
        Assert.Equal((1, 1), (calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAsync)), calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAssignmentsAsync))));
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public async Task A_message_after_a_change_does_not_join_a_read_begun_before_it()
    {
        var device = (await _registry.RegisterAsync("pat-1", DeviceType.PulseOximeter)).Device;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = CountingRegistry.Wrap(_registry, out var calls, holdRecordReads: release.Task);
        using var cache = new DeviceLookupCache(held, _changes,
            Options.Create(new DeviceIngressOptions { LookupCacheTtl = TimeSpan.FromSeconds(5) }), _clock);

        var before = cache.GetAsync(device.DeviceId, default);
        await _registry.RevokeAsync(device.DeviceId);
        var after = cache.GetAsync(device.DeviceId, default);
        release.SetResult();
        await before;

        Assert.NotNull((await after)!.RevokedAt);
        Assert.Equal(2, calls.GetValueOrDefault(nameof(IDeviceRegistry.GetAsync)));   // its own read, not the earlier one's
    }

    [Fact]
    public async Task A_TTL_of_zero_reads_the_registry_for_every_message()
    {
        var device = (await _registry.RegisterAsync("pat-1", DeviceType.PulseOximeter)).Device;
        using var cache = Cache(ttlSeconds: 0);

        for (var message = 0; message < 3; message++)
        {
            await cache.GetAsync(device.DeviceId, default);
        }

        Assert.Equal((6, 0L), (Reads, cache.Hits));
    }

    /// <summary>Counts calls per method of the real registry (a proxy, so the interface can grow without this test).</summary>
    /// <remarks>With <c>holdRecordReads</c>, each <see cref="IDeviceRegistry.GetAsync"/> is counted at once and read once it completes (a slow database).</remarks>
    public class CountingRegistry : DispatchProxy
    {
        private IDeviceRegistry _inner = null!;
        private ConcurrentDictionary<string, int> _calls = null!;
        private Task? _holdRecordReads;

        public static IDeviceRegistry Wrap(IDeviceRegistry inner, out ConcurrentDictionary<string, int> calls, Task? holdRecordReads = null)
        {
            var proxy = Create<IDeviceRegistry, CountingRegistry>();
            var counting = (CountingRegistry)(object)proxy;
            counting._inner = inner;
            counting._calls = calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            counting._holdRecordReads = holdRecordReads;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _calls.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
            if (_holdRecordReads is { } hold && targetMethod.Name == nameof(IDeviceRegistry.GetAsync))
            {
                return HeldAsync(hold, () => (Task<DeviceRecord?>)targetMethod.Invoke(_inner, args)!);
            }
            return targetMethod.Invoke(_inner, args);
        }

        private static async Task<DeviceRecord?> HeldAsync(Task hold, Func<Task<DeviceRecord?>> read)
        {
            await hold;
            return await read();
        }
    }
}
