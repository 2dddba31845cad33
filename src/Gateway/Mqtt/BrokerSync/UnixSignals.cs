using System.Diagnostics;
using System.Globalization;

namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// Sends SIGHUP (reload) to a process with the system's <c>kill -HUP</c>: no native interop (which would need unsafe
/// code in this project), and a pass happens at most once per registry change, so a short-lived process is cheap.
/// </summary>
internal static class UnixSignals
{
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
