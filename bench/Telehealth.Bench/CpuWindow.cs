using System.Diagnostics;
using System.Globalization;

namespace Telehealth.Bench;

/// <summary>
/// CPU used over a stretch of wall time by one other process (the platform), by this process (the bench) and by the
/// whole machine, read from /proc (Linux; zeros elsewhere). Used per round, where the phase-wide sampler is too coarse.
/// </summary>
public sealed class CpuWindow
{
    private const double TicksPerSecond = 100; // USER_HZ

    private readonly long _platformTicks;
    private readonly long _benchTicks;
    private readonly (long Busy, long Total) _machine;
    private readonly Stopwatch _clock;

    private CpuWindow(int platformProcessId)
    {
        _platformTicks = ProcessTicks(platformProcessId);
        _benchTicks = ProcessTicks(Environment.ProcessId);
        _machine = MachineTicks();
        _clock = Stopwatch.StartNew();
    }

    public static CpuWindow Start(int platformProcessId) => new(platformProcessId);

    public Sample Stop(int platformProcessId)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var machine = MachineTicks();
        var total = machine.Total - _machine.Total;
        return new Sample(seconds,
            (ProcessTicks(platformProcessId) - _platformTicks) / TicksPerSecond,
            (ProcessTicks(Environment.ProcessId) - _benchTicks) / TicksPerSecond,
            total > 0 ? (double)(machine.Busy - _machine.Busy) / total * 100 * Environment.ProcessorCount : double.NaN);
    }

    /// <summary>CPU seconds of each side; percentages are of one core (200 % = both cores of a 2-core machine).</summary>
    public sealed record Sample(double Seconds, double PlatformCpuSeconds, double BenchCpuSeconds, double MachineBusyPercent)
    {
        public double PlatformPercent => PlatformCpuSeconds / Seconds * 100;

        public double BenchPercent => BenchCpuSeconds / Seconds * 100;
    }

    private static long ProcessTicks(int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        var text = File.ReadAllText($"/proc/{processId}/stat");
        // Fields after the name (which may hold spaces): 14 utime, 15 stime (1-based, proc(5)).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    private static (long Busy, long Total) MachineTicks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }
        // cpu  user nice system idle iowait irq softirq steal
        var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var total = values.Sum();
        return (total - idle, total);
    }
}
