namespace Telehealth.Bench;

/// <summary>What one alert-latency run measured: the background load asked and achieved, and publish → alertRaised percentiles.</summary>
public sealed record AlertLatencyResult(int BackgroundAsked, double BackgroundAchieved, int Probes, int Received, double P50Ms, double P99Ms, Scale.CpuUse? Cpu)
{
    public bool CountsMatch => Received == Probes;
}
