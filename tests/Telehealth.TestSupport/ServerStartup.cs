using System.Diagnostics;
using System.Net.Sockets;

namespace Telehealth.TestSupport;

/// <summary>What the server fixtures share: finding executables, temp folders, and waiting for readiness.</summary>
internal static class ServerStartup
{
    /// <summary>Set TELEHEALTH_TEST_SERVERS=local to skip the Docker probe and always run local processes.</summary>
    public static bool ContainersAllowed =>
        !string.Equals(Environment.GetEnvironmentVariable("TELEHEALTH_TEST_SERVERS"), "local", StringComparison.OrdinalIgnoreCase);

    public static bool RunningAsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static string RequireExecutable(string path, string installHint)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is not installed and no Docker engine is available, so this test cannot start its server. Install it: {installHint}");
        }
        return path;
    }

    public static string CreateTempFolder(string prefix) =>
        Directory.CreateTempSubdirectory($"telehealth-{prefix}-").FullName;

    public static void DeleteFolder(string? path)
    {
        if (path is not null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it answers true. Fails at once when the process exits, and after the
    /// timeout, with the process's last output in the message.
    /// </summary>
    public static async Task WaitUntilReadyAsync(string what, ManagedProcess process, Func<CancellationToken, Task<bool>> probe, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new ServerStartException(what, $"exited with code {process.ExitCode} before it was ready", process.OutputTail);
            }
            using (var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                try
                {
                    if (await probe(attempt.Token))
                    {
                        return;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or SocketException or OperationCanceledException)
                {
                    // Not listening yet.
                }
            }
            if (stopwatch.Elapsed > timeout)
            {
                throw new ServerStartException(what, $"was not ready after {timeout.TotalSeconds:0} s", process.OutputTail);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public static async Task<bool> AcceptsTcpAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        return true;
    }
}
