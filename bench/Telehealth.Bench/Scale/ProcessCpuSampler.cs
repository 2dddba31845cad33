using System.Globalization;

namespace Telehealth.Bench.Scale;

/// <summary>
/// CPU time of this process and of every process it started (each child with all of its own descendants, e.g.
/// PostgreSQL's backends under the postmaster), read from /proc at the start and end of a phase, and the machine's
/// total from /proc/stat, so a phase can say who used the two cores and how much was left for anyone else.
/// Linux only; elsewhere it reports nothing.
/// </summary>
public sealed class ProcessCpuSampler
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on.

    private readonly Dictionary<int, string> _labels = new();
    private Dictionary<string, long> _startTicks = new(StringComparer.Ordinal);
    private MachineCpuTicks _startMachine;
    private DateTime _startedAt;

    /// <summary>Names a child process (e.g. "platform-1") instead of its command name.</summary>
    public void Label(int processId, string label) => _labels[processId] = label;

    public void Start()
    {
        _startTicks = GroupTicks();
        _startMachine = MachineCpuTicks.Read();
        _startedAt = DateTime.UtcNow;
    }

    /// <summary>CPU used since <see cref="Start"/> per group, in percent of one core (200 % = both cores of a 2-core machine).</summary>
    public CpuUse Stop()
    {
        var seconds = (DateTime.UtcNow - _startedAt).TotalSeconds;
        var end = GroupTicks();
        var groups = end.Select(g => (g.Key, Percent: (g.Value - _startTicks.GetValueOrDefault(g.Key)) / TicksPerSecond / seconds * 100))
            .Where(g => g.Percent >= 0.5)
            .OrderByDescending(g => g.Percent)
            .ToList();
        var (machineBusy, stolen) = MachineCpuTicks.Read().PercentSince(_startMachine);
        return new CpuUse(groups, machineBusy, Environment.ProcessorCount * 100.0, stolen);
    }

    private Dictionary<string, long> GroupTicks()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return result;
        }
        var self = Environment.ProcessId;
        var processes = new Dictionary<int, (int Parent, string Name, long Ticks, long ReapedTicks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryRead(pid) is { } stat)
            {
                processes[pid] = stat;
            }
        }
        var children = processes.GroupBy(p => p.Value.Parent).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        long TreeTicks(int pid) => processes[pid].Ticks + processes[pid].ReapedTicks + children.GetValueOrDefault(pid, []).Sum(TreeTicks);
        if (processes.TryGetValue(self, out var own))
        {
            // Without its reaped children (short helper commands such as git): those are not the benchmark's work.
            result["bench (this process)"] = own.Ticks;
        }
        foreach (var child in children.GetValueOrDefault(self, []))
        {
            var name = _labels.GetValueOrDefault(child) ?? processes[child].Name;
            result[name] = result.GetValueOrDefault(name) + TreeTicks(child);
        }
        return result;
    }

    /// <summary>utime + stime, and cutime + cstime (children already reaped, e.g. ended PostgreSQL backends).</summary>
    private static (int Parent, string Name, long Ticks, long ReapedTicks)? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // Exited while we looked.
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }
        var name = text[(open + 1)..close];
        // Fields after the name: 3 state, 4 ppid, ... 14 utime, 15 stime, 16 cutime, 17 cstime (1-based, proc(5)).
        var fields = text[(close + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), name, Field(14) + Field(15), Field(16) + Field(17));
    }
}
