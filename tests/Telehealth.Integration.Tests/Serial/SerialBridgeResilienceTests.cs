using Telehealth.Gateway.Serial;
using Telehealth.Simulation.Serial;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>The cable pulled and put back, the broker gone and back, the bridge restarted: readings continue, none lost, none twice.</summary>
public sealed class SerialBridgeResilienceTests
{
    [Fact]
    public async Task Unplug_and_replug_on_the_same_path_is_survived_without_a_hang_and_readings_continue()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Serial replug");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var links = SocatPtyPair.NewLinkDirectory();
        var devicePath = Path.Combine(links, "device");
        var hostPath = Path.Combine(links, "host");
        var pair = await SocatPtyPair.StartAsync(devicePath, hostPath);
        var device = EmulatedDevice.Open(devicePath, SerialDeviceFormat.Nonin8);
        await using var bridge = RunningBridge.Start(hostPath, SerialFormat.Nonin8, deviceId, secret, platform.MqttPort, SerialBridgeFormatTests.NewSpoolDirectory());
        await device.PlayAsync(SerialScenario.Normal, 0, 8);
        var before = await bridge.NextWindowAsync();

        // Pull the cable: socat is killed, the pty vanishes under the bridge's pending read, the link dangles.
        await pair.UnplugAsync();
        device.Dispose();
        await bridge.WaitUntilAsync(b => b.PortLosses == 1, "the unplug noticed");
        await pair.DisposeAsync();
        Assert.Equal(1, bridge.Bridge.PortOpens);

        // Put it back on the same path.
        await using var replugged = await SocatPtyPair.StartAsync(devicePath, hostPath);
        using var device2 = EmulatedDevice.Open(devicePath, SerialDeviceFormat.Nonin8);
        await bridge.WaitUntilAsync(b => b.PortOpens == 2, "the port reopened after the replug");
        await device2.PlayAsync(SerialScenario.Desaturation, 60, 8);
        var after = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Published == 2, "both readings acknowledged");

        Assert.Equal((97, 72, 93, 80), (before.Spo2, before.PulseRate, after.Spo2, after.PulseRate));
        Assert.Equal(StoredReadings.Expected((before.End, 97, 72), (after.End, 93, 80)), (await StoredReadings.ForAsync(staff, patientId)).WithoutReceived());
        await bridge.StopAsync();
        Directory.Delete(links, recursive: true);
    }

    [Fact]
    public async Task Readings_taken_while_the_broker_is_down_are_spooled_and_arrive_once_in_order_after_it_returns()
    {
        var platform = await TelehealthPlatform.StartAsync();
        var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Serial outage");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var (dataDirectory, adminPassword, brokerPort) = (platform.DataDirectory, platform.AdminPassword, platform.MqttPort);
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, SerialDeviceFormat.Nonin8);
        await using var bridge = RunningBridge.Start(pair.HostPath, SerialFormat.Nonin8, deviceId, secret, brokerPort, SerialBridgeFormatTests.NewSpoolDirectory());
        await device.PlayAsync(SerialScenario.Desaturation, 0, 8);
        var first = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Published == 1, "the first reading acknowledged");

        // The platform (and its broker) goes away; the bridge keeps running and the device keeps sending.
        staff.Dispose();
        platform.KeepData = true;
        await platform.DisposeAsync();
        var downSince = DateTimeOffset.UtcNow;
        await device.PlayAsync(SerialScenario.Desaturation, 60, 8);
        var second = await bridge.NextWindowAsync();
        await device.PlayAsync(SerialScenario.Desaturation, 120, 8);
        var third = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Pending == 2, "both outage readings spooled");
        Assert.Equal(1, bridge.Bridge.Published);

        // Back on the same data folder and port.
        await using var restarted = await TelehealthPlatform.StartAsync(
            new Dictionary<string, string?> { ["Mqtt:Embedded:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            dataDirectory, adminPassword);
        using var staffAgain = await restarted.CreateStaffClientAsync();
        await bridge.WaitUntilAsync(b => b.Published == 3 && b.Pending == 0, "the spool drained");

        var stored = await StoredReadings.ForAsync(staffAgain, patientId);
        Assert.Equal(StoredReadings.Expected((first.End, 97, 72), (second.End, 93, 80), (third.End, 87, 92)), stored.WithoutReceived());
        // In order: the outage readings were received after the outage began, the older one first.
        var received = stored.Where(r => r.Kind == "spo2").Select(r => r.ReceivedAt).ToList();
        Assert.True(received[1] >= downSince && received[2] >= received[1], $"received out of order: {string.Join(", ", received)}");
    }

    [Fact]
    public async Task What_a_stopped_bridge_had_not_sent_is_sent_by_the_next_one_from_its_spool()
    {
        var platform = await TelehealthPlatform.StartAsync();
        var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Serial bridge restart");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        var (dataDirectory, adminPassword, brokerPort) = (platform.DataDirectory, platform.AdminPassword, platform.MqttPort);
        var spool = SerialBridgeFormatTests.NewSpoolDirectory();
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, SerialDeviceFormat.Masimo);
        var bridge = RunningBridge.Start(pair.HostPath, SerialFormat.Masimo, deviceId, secret, brokerPort, spool);
        staff.Dispose();
        platform.KeepData = true;
        await platform.DisposeAsync();
        await device.PlayAsync(SerialScenario.Desaturation, 120, 8);
        var spooled = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Pending == 1, "the reading spooled");
        await bridge.StopAsync();

        await using var restarted = await TelehealthPlatform.StartAsync(
            new Dictionary<string, string?> { ["Mqtt:Embedded:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            dataDirectory, adminPassword);
        using var staffAgain = await restarted.CreateStaffClientAsync();
        await using var next = RunningBridge.Start(pair.HostPath, SerialFormat.Masimo, deviceId, secret, brokerPort, spool);
        await next.WaitUntilAsync(b => b.Published == 1 && b.Pending == 0, "the spooled reading sent by the new bridge");

        Assert.Equal(0, next.Bridge.ReadingsFormed);
        Assert.Equal(StoredReadings.Expected((spooled.End, 87, 92)), (await StoredReadings.ForAsync(staffAgain, patientId)).WithoutReceived());
    }
}
