using Telehealth.Gateway.Serial;
using Telehealth.Gateway.Serial.Aggregation;
using Telehealth.Integration.Tests.Platform;
using Telehealth.Simulation.Serial;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>
/// device-sim's emulator → a real socat pty pair → the serial bridge → MQTT with the device's own credentials → the real
/// platform, for every wire format: the stored readings are exactly the medians of the stable windows.
/// </summary>
[Collection(SerialThroughputCollection.Name)]
public sealed class SerialBridgeFormatTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Theory]
    [InlineData(SerialFormat.Nonin8)]
    [InlineData(SerialFormat.Cms50Legacy)]
    [InlineData(SerialFormat.Cms50V46)]
    [InlineData(SerialFormat.Masimo)]
    public async Task Each_format_through_a_real_pty_becomes_exactly_the_window_medians_stored_for_the_patient(SerialFormat format)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Serial " + format);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, (SerialDeviceFormat)(int)format);
        await using var bridge = RunningBridge.Start(pair.HostPath, format, deviceId, secret, Platform.MqttPort, NewSpoolDirectory());
        if (format == SerialFormat.Cms50V46)
        {
            await device.WaitForStartCommandAsync();
        }

        // Each burst of device seconds falls in one window; the next starts after the bridge closed it.
        await device.PlayAsync(SerialScenario.Desaturation, 0, 8);
        var settled = await bridge.NextWindowAsync();
        await device.PlayAsync(SerialScenario.FingerOut, 30, 8);
        var fingerOut = await bridge.NextWindowAsync();
        await device.PlayAsync(SerialScenario.Desaturation, 60, 8);
        var falling = await bridge.NextWindowAsync();
        await device.PlayAsync(SerialScenario.Desaturation, 120, 8);
        var low = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Published == 3, "three readings acknowledged");

        Assert.Equal((97, 72), (settled.Spo2, settled.PulseRate));
        Assert.Equal(WindowOutcome.TooFewValidSamples, fingerOut.Rejection);
        Assert.Equal(0, fingerOut.ValidSamples);
        Assert.Equal((93, 80), (falling.Spo2, falling.PulseRate));
        Assert.Equal((87, 92), (low.Spo2, low.PulseRate));
        var stored = await StoredReadings.ForAsync(Staff, patientId);
        Assert.Equal(StoredReadings.Expected((settled.End, 97, 72), (falling.End, 93, 80), (low.End, 87, 92)), stored.WithoutReceived());
        Assert.Equal(0, bridge.Bridge.Decoding.BytesDropped);
        Assert.Equal(0, bridge.Bridge.Pending);
    }

    [Fact]
    public async Task Truncated_lines_and_interleaved_garbage_on_the_wire_cost_samples_never_values()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Serial noisy cable");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, SerialDeviceFormat.Masimo);
        await using var bridge = RunningBridge.Start(pair.HostPath, SerialFormat.Masimo, deviceId, secret, Platform.MqttPort, NewSpoolDirectory());

        await device.PlayAsync(SerialScenario.Normal, 0, 16, new SerialFaults { Truncate = 0.25, Garbage = 0.25 });
        var window = await bridge.NextWindowAsync();
        await bridge.WaitUntilAsync(b => b.Published == 1, "the reading acknowledged");

        Assert.Equal((97, 72), (window.Spo2, window.PulseRate));
        Assert.InRange(window.Samples, 5, 15);
        Assert.True(bridge.Bridge.Decoding.BytesDropped > 0);
        Assert.Equal(StoredReadings.Expected((window.End, 97, 72)), (await StoredReadings.ForAsync(Staff, patientId)).WithoutReceived());
    }

    [Fact]
    public async Task A_low_battery_flag_becomes_one_low_battery_event_beside_the_readings()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Serial low battery");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, SerialDeviceFormat.Nonin8);
        await using var bridge = RunningBridge.Start(pair.HostPath, SerialFormat.Nonin8, deviceId, secret, Platform.MqttPort, NewSpoolDirectory());

        await device.PlayAsync(SerialScenario.LowBattery, 0, 8);
        var first = await bridge.NextWindowAsync();
        await device.PlayAsync(SerialScenario.LowBattery, 8, 8);
        var second = await bridge.NextWindowAsync();
        // Two readings and one event, all acknowledged: the episode is reported once, not once per window.
        await bridge.WaitUntilAsync(b => b.Published == 3, "two readings and one event acknowledged");

        var events = await Staff.GetJsonAsync($"/api/patients/{patientId}/events");
        var lowBattery = Assert.Single(events.EnumerateArray());
        Assert.Equal("low_battery", lowBattery.Str("type"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(first.End.ToUnixTimeMilliseconds()), lowBattery.GetProperty("deviceTime").GetDateTimeOffset());
        Assert.Equal(StoredReadings.Expected((first.End, 97, 72), (second.End, 97, 72)), (await StoredReadings.ForAsync(Staff, patientId)).WithoutReceived());
    }

    internal static string NewSpoolDirectory() => Path.Combine(Path.GetTempPath(), "serial-spool-" + Guid.NewGuid().ToString("N"));
}
