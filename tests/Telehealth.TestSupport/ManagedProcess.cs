using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Telehealth.TestSupport;

/// <summary>
/// A server process started by a test fixture: keeps the last lines of its stdout/stderr for failure messages and
/// is ended by its own PID (never by name) when stopped or disposed.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int TailLines = 200;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();

    private ManagedProcess(Process process)
    {
        _process = process;
    }

    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => managed.AddLine("out", e.Data);
        process.ErrorDataReceived += (_, e) => managed.AddLine("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote, each prefixed with out/err, for diagnostics.</summary>
    public string OutputTail
    {
        get
        {
            lock (_tailLock)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>
    /// Ends the process. Graceful sends SIGTERM (mosquitto then saves persistence, influxd flushes) and falls back to
    /// SIGKILL after <paramref name="timeout"/>; otherwise SIGKILL at once, like a crash or power cut.
    /// </summary>
    public async Task StopAsync(bool graceful = false, TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (graceful && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Kill(_process.Id, SigTerm) == 0)
        {
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: kill it below.
            }
        }
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends a Unix signal (e.g. SIGUSR2: nats-server's lame-duck stop); 0 when sent.</summary>
    public int Signal(int signal) => _process.HasExited ? -1 : Kill(_process.Id, signal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false);
        _process.Dispose();
    }

    private void AddLine(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tailLock)
        {
            _tail.Enqueue($"[{stream}] {line}");
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
