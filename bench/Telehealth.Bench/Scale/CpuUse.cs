using System.Globalization;

namespace Telehealth.Bench.Scale;

/// <summary>CPU used during one phase: each of our process groups and the whole machine, in percent of one core.</summary>
/// <param name="Capacity">100 % per core (200 % on 2 cores).</param>
public sealed record CpuUse(IReadOnlyList<(string Name, double Percent)> Groups, double MachineBusy, double Capacity)
{
    public double Ours => Groups.Sum(g => g.Percent);

    /// <summary>What the machine's other users (other sessions, the OS) took: busy minus ours.</summary>
    public double Others => Math.Max(0, MachineBusy - Ours);

    public bool Saturated => MachineBusy >= Capacity * 0.9;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"machine {MachineBusy:0} % busy of {Capacity:0} %; {string.Join(", ", Groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name} {g.Percent:0} %")))}; not ours {Others:0} %");
}
