using Telehealth.Integration.Tests.Platform;
using Telehealth.Simulation.Serial;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>The fixed command line, run as its own process: <c>dotnet Telehealth.Gateway.dll serial --port … --broker …</c>.</summary>
public sealed class SerialBridgeCommandLineTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly string GatewayDll = Path.Combine(AppContext.BaseDirectory, "Telehealth.Gateway.dll");

    [Fact]
    public async Task The_fixed_command_forwards_readings_and_stops_cleanly_on_sigterm()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(fixture.Staff, "Serial command line");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(fixture.Staff, patientId);
        await using var pair = await SocatPtyPair.StartAsync();
        using var device = EmulatedDevice.Open(pair.DevicePath, SerialDeviceFormat.Nonin8);
        var spool = SerialBridgeFormatTests.NewSpoolDirectory();
        await using var process = ManagedProcess.Start("dotnet",
        [
            GatewayDll, "serial", "--port", pair.HostPath, "--format", "nonin8", "--device", deviceId, "--secret", secret,
            "--broker", $"127.0.0.1:{fixture.Platform.MqttPort}", "--window", "3s", "--min-samples", "5", "--spool-dir", spool,
        ]);
        await Eventually.GetAsync(() => Task.FromResult(process.OutputTail), tail => tail.Contains($"Serial port {pair.HostPath} open", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromSeconds(60));
        Assert.False(process.HasExited, process.OutputTail);

        await device.PlayAsync(SerialScenario.Normal, 0, 8);
        var stored = await Eventually.GetAsync(() => StoredReadings.ForAsync(fixture.Staff, patientId), r => r.Count >= 2, TimeSpan.FromSeconds(60));
        await process.StopAsync(graceful: true, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal([("heart_rate", 72.0), ("spo2", 97.0)], stored.Select(r => (r.Kind, r.Value)));
        Assert.Equal(stored[0].DeviceTime, stored[1].DeviceTime);
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(secret, process.OutputTail, StringComparison.Ordinal);
        Directory.Delete(spool, recursive: true);
    }

    [Theory]
    [InlineData("--format", "nonin9", "serial: --format must be one of nonin8, cms50-legacy, cms50-v46, masimo, got 'nonin9'.")]
    [InlineData("--speed", "2", "serial: Unknown option '--speed'.")]
    [InlineData("--broker", "nowhere", "serial: --broker must be HOST:PORT with a port from 1 to 65535, got 'nowhere'.")]
    public async Task A_wrong_flag_stops_with_exit_code_2_and_one_line_naming_it(string flag, string value, string line)
    {
        var args = new List<string> { GatewayDll, "serial", "--port", "/dev/null-port", "--format", "nonin8", "--device", "dev-x", "--secret", "s", "--broker", "127.0.0.1:1" };
        var at = args.IndexOf(flag);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }
        await using var process = ManagedProcess.Start("dotnet", args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"[err] {line}", process.OutputTail);
    }
}
