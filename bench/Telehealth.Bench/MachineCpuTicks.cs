using System.Globalization;

namespace Telehealth.Bench;

/// <summary>
/// The machine's CPU ticks from the first line of /proc/stat (Linux; zeros elsewhere), with the time the hypervisor
/// gave to other guests (steal) apart from the time anything ran here: on this virtual machine steal was 70–91 % of
/// what an earlier "not ours" figure counted in some runs, and it is no process of this machine's. Counting it as
/// busy made a noisy host look like a program of ours or of someone else's using the cores.
/// </summary>
/// <param name="Busy">Ticks anything on this machine ran (user, nice, system, irq, softirq).</param>
/// <param name="Stolen">Ticks a runnable CPU of this machine waited for the hypervisor (steal).</param>
/// <param name="Total">All ticks (busy, stolen, idle and iowait).</param>
public readonly record struct MachineCpuTicks(long Busy, long Stolen, long Total)
{
    public static MachineCpuTicks Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }
        // cpu  user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice already)
        var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var stolen = values.Length > 7 ? values[7] : 0;
        var total = values.Sum();
        return new MachineCpuTicks(total - idle - stolen, stolen, total);
    }

    /// <summary>Busy and stolen since <paramref name="start"/>, in percent of one core (200 % = both cores of a 2-core machine).</summary>
    public (double Busy, double Stolen) PercentSince(MachineCpuTicks start)
    {
        var total = Total - start.Total;
        if (total <= 0)
        {
            return (double.NaN, double.NaN);
        }
        var scale = 100.0 * Environment.ProcessorCount / total;
        return ((Busy - start.Busy) * scale, (Stolen - start.Stolen) * scale);
    }
}
