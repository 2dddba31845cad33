using System.Net.Sockets;
using Telehealth.TestSupport;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>
/// A broker run as a local process with its own data folder on a free port, that can be SIGKILLed (the whole process
/// tree, like a crash) and started again on the same data and port.
/// </summary>
internal abstract class CrashableBroker : IAsyncDisposable
{
    private ManagedProcess? _process;

    protected CrashableBroker(string name)
    {
        Name = name;
        Folder = Path.Combine(Path.GetTempPath(), "broker-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        MqttPort = FreePort.Next();
    }

    public string Name { get; }

    public int MqttPort { get; }

    protected string Folder { get; }

    /// <summary>What this broker promises for a PUBACK, as configured (for the results table).</summary>
    public abstract string Configuration { get; }

    public async Task StartAsync(TimeSpan timeout)
    {
        _process = Launch();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited at start: {_process.OutputTail}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", MqttPort);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// SIGTERM and start again: the broker saves what it holds (mosquitto writes its database on a clean shutdown), as
    /// a broker that has run for a while has its sessions on disk. Only then does the measured run begin.
    /// </summary>
    public async Task RestartCleanlyAsync(TimeSpan timeout)
    {
        if (_process is not null)
        {
            await _process.StopAsync(graceful: true, TimeSpan.FromSeconds(60));
            await _process.DisposeAsync();
            _process = null;
        }
        await StartAsync(timeout);
    }

    /// <summary>The broker's recent output, for a failed run's message.</summary>
    public string OutputTail => _process?.OutputTail ?? "";

    /// <summary>SIGKILL to the broker's whole process tree: no shutdown hook runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(graceful: false);
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (Environment.GetEnvironmentVariable("BROKER_CRASH_KEEP") == "1")
        {
            Console.WriteLine($"kept {Folder}");
            return;
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temp folder is swept by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    protected abstract ManagedProcess Launch();
}
