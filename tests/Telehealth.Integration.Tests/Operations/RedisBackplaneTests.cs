using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Operations;

/// <summary>
/// Two platform instances on one real redis-server as the SignalR backplane: a dashboard connected to one instance
/// sees, once, an alert raised by a device on the other; an instance without the backplane sees nothing of it.
/// </summary>
public sealed class RedisBackplaneTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    [Trait("Hazard", "H3")]
    public async Task H3_a_dashboard_on_one_instance_sees_once_an_alert_raised_on_the_other_and_its_acknowledgement()
    {
        var backplane = new Dictionary<string, string?> { ["Realtime:Redis"] = redis.Configuration, ["Realtime:ChannelPrefix"] = "th-" + Guid.NewGuid().ToString("N")[..8] };
        await using var raising = await TelehealthPlatform.StartAsync(backplane);
        await using var watching = await TelehealthPlatform.StartAsync(backplane);
        await using var alone = await TelehealthPlatform.StartAsync();
        await using var dashboard = await AlertListener.ConnectAsync(watching.BaseAddress, await watching.GetTokenAsync());
        await using var unconnected = await AlertListener.ConnectAsync(alone.BaseAddress, await alone.GetTokenAsync());
        await using var local = await AlertListener.ConnectAsync(raising.BaseAddress, await raising.GetTokenAsync());

        using var staff = await raising.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Backplane Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using (var device = await MqttDevice.ConnectAsync(raising, deviceId, secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":84}]""");
        }
        await raising.SettledAsync();

        var seen = await dashboard.WaitForAsync("alertRaised", a => a.Str("patientId") == patientId && a.Str("condition") == "threshold:spo2");
        await local.WaitForAsync("alertRaised", a => a.Str("patientId") == patientId && a.Str("condition") == "threshold:spo2");
        Assert.Equal("critical", seen.Str("severity"));
        // A colleague acknowledges on the raising instance: the watching dashboard sees that too, after the raise,
        // so anything pushed twice would have arrived by then.
        var acknowledged = await staff.PostAsync($"/api/alerts/{seen.Str("id")}/acknowledge", null);
        Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        await raising.SettledAsync();
        var update = await dashboard.WaitForAsync("alertUpdated", a => a.Str("id") == seen.Str("id") && a.Str("eventType") == "acknowledged");
        Assert.Equal(TelehealthPlatform.AdminUsername, update.Str("acknowledgedBy"));
        Assert.Single(dashboard.Received, r => r.Method == "alertRaised" && r.Alert.Str("condition") == "threshold:spo2");
        Assert.Single(dashboard.Received, r => r.Method == "alertUpdated" && r.Alert.Str("id") == seen.Str("id"));
        Assert.Empty(unconnected.Received);
    }
}
