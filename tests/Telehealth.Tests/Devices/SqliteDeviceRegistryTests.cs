using Microsoft.Extensions.Time.Testing;
using Telehealth.Tests.Alerts;
using Telehealth.CareRecord.Devices;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Devices;

/// <summary>The device registry on every care-record engine: assignment history, secrets, heartbeats.</summary>
public abstract class DeviceRegistryConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly List<(string DeviceId, DeviceAccessChange Change)> _seen = [];

    protected override TimeProvider Clock => _clock;

    private IDeviceRegistry Registry => Get<IDeviceRegistry>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Get<DeviceAccessChanges>().Changed += (id, change) => _seen.Add((id, change));
    }

    [Fact]
    public async Task H9_reassignment_keeps_the_history_so_each_reading_time_has_its_own_person()
    {
        var device = (await Registry.RegisterAsync("pat-ada", DeviceType.PulseOximeter)).Device;
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(DeviceChangeResult.Done, await Registry.AssignAsync(device.DeviceId, "pat-bert"));
        Assert.Equal(DeviceChangeResult.NoChange, await Registry.AssignAsync(device.DeviceId, "pat-bert"));
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(DeviceChangeResult.Done, await Registry.RetrieveAsync(device.DeviceId));
        Assert.Equal(DeviceChangeResult.NoChange, await Registry.RetrieveAsync(device.DeviceId));

        var history = await Registry.GetAssignmentsAsync(device.DeviceId);

        Assert.Equal(
            [new DeviceAssignment(device.DeviceId, "pat-ada", null, Start.AddHours(2)), new DeviceAssignment(device.DeviceId, "pat-bert", Start.AddHours(2), Start.AddHours(5))],
            history.Periods);
        Assert.Equal("pat-ada", history.PatientAt(Start.AddHours(1)));
        Assert.Equal("pat-bert", history.PatientAt(Start.AddHours(4)));
        Assert.Null(history.PatientAt(Start.AddHours(6)));
        var stored = (await Registry.GetAsync(device.DeviceId))!;
        Assert.False(stored.IsAssigned);
        Assert.Equal("pat-bert", stored.PatientId); // the last person, for team scoping
    }

    [Fact]
    public async Task Rotation_and_revocation_change_which_secret_works_and_tell_the_edges()
    {
        var registration = await Registry.RegisterAsync("pat-ada", DeviceType.PendantAlarm, new DeviceDetails("Tunstall MyAmie", "SN-1", null));
        var id = registration.Device.DeviceId;
        Assert.NotNull(await Registry.AuthenticateAsync(id, registration.Secret));

        var rotated = await Registry.RotateSecretAsync(id);

        Assert.NotNull(rotated);
        Assert.Null(await Registry.AuthenticateAsync(id, registration.Secret));
        Assert.NotNull(await Registry.AuthenticateAsync(id, rotated));
        var account = Assert.Single(await Registry.ListBrokerAccountsAsync());
        Assert.True(MosquittoPasswordHash.Verify(rotated, account.MosquittoPasswordHash));

        Assert.Equal(DeviceChangeResult.Done, await Registry.RevokeAsync(id));
        Assert.Equal(DeviceChangeResult.NoChange, await Registry.RevokeAsync(id));
        Assert.Equal(DeviceChangeResult.UnknownDevice, await Registry.RevokeAsync("dev-nobody"));

        Assert.Null(await Registry.AuthenticateAsync(id, rotated));
        Assert.Null(await Registry.RotateSecretAsync(id));
        Assert.Equal(DeviceChangeResult.Revoked, await Registry.AssignAsync(id, "pat-bert"));
        Assert.Empty(await Registry.ListBrokerAccountsAsync());
        var revoked = (await Registry.GetAsync(id))!;
        Assert.Equal(Start, revoked.RevokedAt);
        Assert.Equal(new DeviceDetails("Tunstall MyAmie", "SN-1", null), revoked.Details);
        Assert.Equal(
            [(id, DeviceAccessChange.Registered), (id, DeviceAccessChange.SecretRotated), (id, DeviceAccessChange.Revoked)],
            _seen);
    }

    [Fact]
    public async Task Heartbeats_keep_the_newest_state_and_details_merge()
    {
        var id = (await Registry.RegisterAsync("pat-ada", DeviceType.PulseOximeter)).Device.DeviceId;

        await Registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(10), 80, "4.6", TimeSpan.FromMinutes(-7)));
        await Registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(5), 90, "4.5", TimeSpan.Zero)); // older: ignored
        await Registry.RecordHeartbeatAsync(id, new DeviceHeartbeat(Start.AddMinutes(20), null));
        await Registry.UpdateDetailsAsync(id, new DeviceDetails("Nonin 3150", "  SN\u0007-42 ", null));

        var device = (await Registry.GetAsync(id))!;
        Assert.Equal(Start.AddMinutes(20), device.LastSeenAt);
        Assert.Equal(80, device.BatteryPercent);
        Assert.Equal(TimeSpan.FromMinutes(-7), device.ClockOffset);
        Assert.Equal(new DeviceDetails("Nonin 3150", "SN-42", "4.6"), device.Details);
    }
}

/// <summary>The registry on the embedded engine.</summary>
public sealed class SqliteDeviceRegistryTests() : DeviceRegistryConformance(new SqliteStoreEngine());
