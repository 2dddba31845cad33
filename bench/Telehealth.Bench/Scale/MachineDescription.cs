using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Telehealth.Bench.Scale;

/// <summary>The machine and source a run was made on, as RESULTS.md records them (Linux /proc; elsewhere "unknown").</summary>
public static class MachineDescription
{
    public static string Cpu()
    {
        var model = ReadProc("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return $"{Environment.ProcessorCount} cores, {model}";
    }

    public static string Memory()
    {
        var line = ReadProc("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? "unknown RAM"
            : string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0:0.0} GB RAM");
    }

    /// <summary>1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        ReadProc("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(" / ", line.Split(' ').Take(3)) : "unknown";

    public static string Runtime() => $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";

    /// <summary>The commit checked out in <paramref name="repository"/>, marked when the work tree differs from it.</summary>
    public static string Commit(string repository)
    {
        var head = Git(repository, "rev-parse", "--short", "HEAD");
        var changed = Git(repository, "status", "--porcelain", "--untracked-files=no");
        return head.Length == 0 ? "unknown" : changed.Length == 0 ? head : head + " (with uncommitted changes)";
    }

    private static string Git(string repository, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ""; // No git here.
        }
    }

    private static IEnumerable<string> ReadProc(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
