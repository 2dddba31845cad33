using System.Globalization;

namespace Telehealth.Bench.Scale;

/// <summary>CPU used during one phase: each of our process groups and the whole machine, in percent of one core.</summary>
/// <param name="MachineBusy">What ran on this machine, ours and anyone else's (steal excluded).</param>
/// <param name="Capacity">100 % per core (200 % on 2 cores).</param>
/// <param name="Stolen">What the hypervisor gave other guests while this machine had work to run (steal): capacity
/// this machine had on paper and not in fact.</param>
public sealed record CpuUse(IReadOnlyList<(string Name, double Percent)> Groups, double MachineBusy, double Capacity, double Stolen = 0)
{
    public double Ours => Groups.Sum(g => g.Percent);

    /// <summary>What the machine's other users (other sessions, the OS) took: busy minus ours.</summary>
    public double Others => Math.Max(0, MachineBusy - Ours);

    /// <summary>No core left: busy, or held back by the hypervisor, for 90 % of the capacity or more.</summary>
    public bool Saturated => MachineBusy + (double.IsNaN(Stolen) ? 0 : Stolen) >= Capacity * 0.9;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"machine {MachineBusy:0} % busy of {Capacity:0} %; {string.Join(", ", Groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name} {g.Percent:0} %")))}; not ours {Others:0} %; taken by the hypervisor (steal) {Stolen:0} %");
}
