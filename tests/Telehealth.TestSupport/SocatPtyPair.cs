namespace Telehealth.TestSupport;

/// <summary>
/// A pseudo-terminal pair from a real socat process, as a serial cable with a device at one end:
/// <c>socat -d -d pty,raw,echo=0,link=DEVICE pty,raw,echo=0,link=HOST</c>. The simulator opens <see cref="DevicePath"/>,
/// the bridge <see cref="HostPath"/>. <see cref="UnplugAsync"/> kills socat (SIGKILL, like pulling the cable: the links
/// dangle); starting a new pair on the same paths is the replug. socat is ended by its own PID.
/// </summary>
public sealed class SocatPtyPair : IAsyncDisposable
{
    private readonly ManagedProcess _socat;

    private SocatPtyPair(ManagedProcess socat, string devicePath, string hostPath)
    {
        _socat = socat;
        DevicePath = devicePath;
        HostPath = hostPath;
    }

    public string DevicePath { get; }

    public string HostPath { get; }

    /// <summary>A fresh folder for the two links, for tests that need new paths.</summary>
    public static string NewLinkDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pty-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static async Task<SocatPtyPair> StartAsync(string? devicePath = null, string? hostPath = null)
    {
        var directory = devicePath is null || hostPath is null ? NewLinkDirectory() : null;
        devicePath ??= Path.Combine(directory!, "device");
        hostPath ??= Path.Combine(directory!, "host");
        var socat = ManagedProcess.Start("socat", ["-d", "-d", $"pty,raw,echo=0,link={devicePath}", $"pty,raw,echo=0,link={hostPath}"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // socat logs this after both ptys and their links exist.
        while (!socat.OutputTail.Contains("starting data transfer loop", StringComparison.Ordinal))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                var tail = socat.OutputTail;
                await socat.DisposeAsync();
                throw new ServerStartException("socat", "did not start its pty pair", tail);
            }
            await Task.Delay(20);
        }
        return new SocatPtyPair(socat, devicePath, hostPath);
    }

    public int ProcessId => _socat.Id;

    /// <summary>Pulls the cable: socat is killed and both pty ends vanish; the links are left dangling.</summary>
    public Task UnplugAsync() => _socat.StopAsync(graceful: false);

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
    }
}
