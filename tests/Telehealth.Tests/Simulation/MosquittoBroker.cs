using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Telehealth.Tests.Simulation;

/// <summary>A real mosquitto on a free loopback port with a password file, stopped by its own PID.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private const string MosquittoPath = "/usr/sbin/mosquitto";
    private readonly Process _process;
    private readonly string _folder;

    private MosquittoBroker(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> users)
    {
        var folder = Directory.CreateTempSubdirectory("sim-mosquitto-").FullName;
        var passwords = Path.Combine(folder, "passwords");
        await File.WriteAllLinesAsync(passwords, users.Select(u => $"{u.Key}:{u.Value}"));
        // mosquitto_passwd -U hashes a plain user:password file in place.
        using (var hash = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_passwd", ["-U", passwords]) { RedirectStandardError = true })!)
        {
            await hash.WaitForExitAsync();
            Assert.Equal(0, hash.ExitCode);
        }
        var port = FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            persistence false
            log_dest stderr
            log_type all
            user {Environment.UserName}
            """);

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = new ProcessStartInfo(MosquittoPath, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true } };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("running", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("mosquitto exited during start."));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return new MosquittoBroker(process, folder, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
