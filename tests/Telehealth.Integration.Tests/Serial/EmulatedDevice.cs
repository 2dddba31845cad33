using System.IO.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Simulation.Serial;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>device-sim's emulator on the device end of a pty pair, kept open so bursts of scenario seconds can be played on demand.</summary>
internal sealed class EmulatedDevice : IDisposable
{
    /// <summary>Scenario seconds per real second in tests: a burst of 8 device seconds takes half a second.</summary>
    public const double TestSpeed = 16;

    private readonly SerialPort _port;

    private EmulatedDevice(SerialPort port, string path, SerialDeviceFormat format)
    {
        _port = port;
        Path = path;
        Format = format;
    }

    public string Path { get; }

    public SerialDeviceFormat Format { get; }

    public static EmulatedDevice Open(string path, SerialDeviceFormat format) => new(SerialDeviceEmulator.OpenPort(path, format), path, format);

    /// <summary>For CMS50 v4.6: the device stays silent until the host's start command arrives, as the real one does.</summary>
    public async Task WaitForStartCommandAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await SerialDeviceEmulator.WaitForStartCommandAsync(_port.BaseStream, timeout.Token);
    }

    /// <summary>Plays <paramref name="seconds"/> scenario seconds from <paramref name="startSecond"/> at the test speed.</summary>
    public async Task<long> PlayAsync(SerialScenario scenario, int startSecond, int seconds, SerialFaults? faults = null)
    {
        var emulator = new SerialDeviceEmulator(new SerialEmulatorOptions
        {
            PortPath = Path,
            Format = Format,
            Scenario = scenario,
            StartSecond = startSecond,
            Seconds = seconds,
            Speed = TestSpeed,
            Faults = faults ?? SerialFaults.None,
        }, TimeProvider.System, NullLogger.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await emulator.PlayAsync(_port.BaseStream, timeout.Token);
        return emulator.FramesWritten;
    }

    public void Dispose()
    {
        // The far end may be gone (unplugged): closing must not hold up the test.
        var port = _port;
        _ = Task.Run(() =>
        {
            try
            {
                port.Dispose();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
        });
    }
}
