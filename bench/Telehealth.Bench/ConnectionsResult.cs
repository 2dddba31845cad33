namespace Telehealth.Bench;

/// <summary>What one connections run measured: resident memory per idle connection and the active devices' rate alone and beside them.</summary>
public sealed record ConnectionsResult(int Idle, int StillConnected, double BytesPerConnection, double RateAlone, double RateWithIdle, Scale.CpuUse? Cpu)
{
    public double RateRatio => RateWithIdle / RateAlone;

    public bool CountsMatch => StillConnected == Idle;
}
