namespace Telehealth.Bench;

/// <summary>
/// One measured round of the connections phase: the active devices' readings, alone or beside the idle connections,
/// with the CPU the platform and the bench used meanwhile and how busy the whole machine was and what the hypervisor took from it
/// (steal: a round with much of it ran on fewer cores than its neighbour).
/// </summary>
public sealed record ConnectionsRound(int Number, bool WithIdle, int Readings, double Seconds, double PlatformCpuSeconds, double BenchCpuSeconds, double MachineBusyPercent,
    double MachineStolenPercent)
{
    public double Rate => Readings / Seconds;

    /// <summary>Platform CPU per stored reading: if idle connections cost the platform per reading, this grows with them.</summary>
    public double PlatformMicrosecondsPerReading => PlatformCpuSeconds * 1e6 / Readings;
}
