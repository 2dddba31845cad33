using System.Diagnostics;
using System.Globalization;

namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// Sends SIGHUP (reload) to a process with the system's <c>kill -HUP</c>: no native interop (which would need unsafe
/// code in this project), and a pass happens at most once per registry change, so a short-lived process is cheap.
/// </summary>
internal static class UnixSignals
{
    /// <summary>
    /// Reads the broker's pid file and sends it SIGHUP. A missing, empty or half-written pid file (the broker not
    /// started yet, or starting right now) is <see cref="ReloadSignal.NoPid"/>: the caller retries soon rather than
    /// waiting a whole resync interval with accounts the broker has not loaded.
    /// </summary>
    public static async Task<(ReloadSignal Outcome, int ProcessId, int ExitCode)> ReloadAsync(string? pidFile, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(pidFile))
        {
            return (ReloadSignal.NotConfigured, 0, 0);
        }
        string text;
        try
        {
            text = File.Exists(pidFile) ? await File.ReadAllTextAsync(pidFile, cancellationToken) : "";
        }
        catch (IOException)
        {
            text = "";
        }
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            return (ReloadSignal.NoPid, 0, 0);
        }
        var exitCode = await HangupAsync(pid, cancellationToken);
        return (exitCode == 0 ? ReloadSignal.Sent : ReloadSignal.Failed, pid, exitCode);
    }

    /// <returns>0 when sent; otherwise kill's exit code (1: no such process or not allowed), or -1 when kill could not run.</returns>
    public static async Task<int> HangupAsync(int processId, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-HUP");
        start.ArgumentList.Add(processId.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return -1;
            }
            await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
