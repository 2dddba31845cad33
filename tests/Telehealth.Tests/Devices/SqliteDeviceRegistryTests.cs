using Microsoft.Extensions.Time.Testing;
using Telehealth.Tests.Alerts;
using Telehealth.CareRecord.Devices;
using Telehealth.Storage.Sqlite.Devices;

namespace Telehealth.Tests.Devices;

public sealed class SqliteDeviceRegistryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly DeviceAccessChanges _changes = new();
    private readonly List<(string DeviceId, DeviceAccessChange Change)> _seen = [];
    private readonly SqliteDeviceRegistry _registry;

    public SqliteDeviceRegistryTests()
    {
        _registry = new SqliteDeviceRegistry(_database.Database, _clock, _changes);
        _changes.Changed += (id, change) => _seen.Add((id, change));
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task H9_reassignment_keeps_the_history_so_each_reading_time_has_its_own_person()
    {
        await _registry.InitializeAsync();
        var device = (await _registry.RegisterAsync("pat-ada", DeviceType.PulseOximeter)).Device;
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(DeviceChangeResult.Done, await _registry.AssignAsync(device.DeviceId, "pat-bert"));
        Assert.Equal(DeviceChangeResult.NoChange, await _registry.AssignAsync(device.DeviceId, "pat-bert"));
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(DeviceChangeResult.Done, await _registry.RetrieveAsync(device.DeviceId));
        Assert.Equal(DeviceChangeResult.NoChange, await _registry.RetrieveAsync(device.DeviceId));

        var history = await _registry.GetAssignmentsAsync(device.DeviceId);

        Assert.Equal(
            [new DeviceAssignment(device.DeviceId, "pat-ada", null, Start.AddHours(2)), new DeviceAssignment(device.DeviceId, "pat-bert", Start.AddHours(2), Start.AddHours(5))],
            history.Periods);
        Assert.Equal("pat-ada", history.PatientAt(Start.AddHours(1)));
        Assert.Equal("pat-bert", history.PatientAt(Start.AddHours(4)));
        Assert.Null(history.PatientAt(Start.AddHours(6)));
        var stored = (await _registry.GetAsync(device.DeviceId))!;
        Assert.False(stored.IsAssigned);
        Assert.Equal("pat-bert", stored.PatientId); // the last person, for team scoping
    }

    [Fact]
    public async Task Rotation_and_revocation_change_which_secret_works_and_tell_the_edges()
    {
        await _registry.InitializeAsync();
        var registration = await _registry.RegisterAsync("pat-ada", DeviceType.PendantAlarm, new DeviceDetails("Tunstall MyAmie", "SN-1", null));
        var id = registration.Device.DeviceId;
        Assert.NotNull(await _registry.AuthenticateAsync(id, registration.Secret));

        var rotated = await _registry.RotateSecretAsync(id);

        Assert.NotNull(rotated);
        Assert.Null(await _registry.AuthenticateAsync(id, registration.Secret));
        Assert.NotNull(await _registry.AuthenticateAsync(id, rotated));
        var account = Assert.Single(await _registry.ListBrokerAccountsAsync());
        Assert.True(MosquittoPasswordHash.Verify(rotated, account.MosquittoPasswordHash));

        Assert.Equal(DeviceChangeResult.Done, await _registry.RevokeAsync(id));
        Assert.Equal(DeviceChangeResult.NoChange, await _registry.RevokeAsync(id));
        Assert.Equal(DeviceChangeResult.UnknownDevice, await _registry.RevokeAsync("dev-nobody"));

        Assert.Null(await _registry.AuthenticateAsync(id, rotated));
        Assert.Null(await _registry.RotateSecretAsync(id));
        Assert.Equal(DeviceChangeResult.Revoked, await _registry.AssignAsync(id, "pat-bert"));
        Assert.Empty(await _registry.ListBrokerAccountsAsync());
        var revoked = (await _registry.GetAsync(id))!;
        Assert.Equal(Start, revoked.RevokedAt);
        Assert.Equal(new DeviceDetails("Tunstall MyAmie", "SN-1", null), revoked.Details);
        Assert.Equal(
            [(id, DeviceAccessChange.Registered), (id, DeviceAccessChange.SecretRotated), (id, DeviceAccessChange.Revoked)],
            _seen);
    }

    [Fact]
    public async Task Heartbeats_keep_the_newest_state_and_details_merge()
    {
        await _registry.InitializeAsync();
        var id = (await _registry.RegisterAsync("pat-ada", DeviceType.PulseOximeter)).Device.DeviceId;

        await _registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(10), 80, "4.6", TimeSpan.FromMinutes(-7)));
        await _registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(5), 90, "4.5", TimeSpan.Zero)); // older: ignored
        await _registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(20), null));
        await _registry.UpdateDetailsAsync(id, new DeviceDetails("Nonin 3150", "  SN\u0007-42 ", null));

        var device = (await _registry.GetAsync(id))!;
        Assert.Equal(Start.AddMinutes(20), device.LastSeenAt);
        Assert.Equal(80, device.BatteryPercent);
        Assert.Equal(TimeSpan.FromMinutes(-7), device.ClockOffset);
        Assert.Equal(new DeviceDetails("Nonin 3150", "SN-42", "4.6"), device.Details);
    }
}
