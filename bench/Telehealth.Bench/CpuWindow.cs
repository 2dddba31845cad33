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
    private readonly MachineCpuTicks _machine;
    private readonly Stopwatch _clock;

    private CpuWindow(int platformProcessId)
    {
        _platformTicks = ProcessTicks(platformProcessId);
        _benchTicks = ProcessTicks(Environment.ProcessId);
        _machine = MachineCpuTicks.Read();
        _clock = Stopwatch.StartNew();
    }

    public static CpuWindow Start(int platformProcessId) => new(platformProcessId);

    public Sample Stop(int platformProcessId)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var (busy, stolen) = MachineCpuTicks.Read().PercentSince(_machine);
        return new Sample(seconds,
            (ProcessTicks(platformProcessId) - _platformTicks) / TicksPerSecond,
            (ProcessTicks(Environment.ProcessId) - _benchTicks) / TicksPerSecond,
            busy, stolen);
    }

    /// <summary>CPU seconds of each side; percentages are of one core (200 % = both cores of a 2-core machine).</summary>
    /// <param name="MachineBusyPercent">What ran on this machine (ours and anyone else's), steal excluded.</param>
    /// <param name="MachineStolenPercent">What the hypervisor took for other guests while this machine had work (steal).</param>
    public sealed record Sample(double Seconds, double PlatformCpuSeconds, double BenchCpuSeconds, double MachineBusyPercent, double MachineStolenPercent)
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
}
