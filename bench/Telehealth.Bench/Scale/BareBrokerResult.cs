namespace Telehealth.Bench.Scale;

/// <summary>What one bare broker run measured; Delivered counts distinct messages the subscriber got.</summary>
public sealed record BareBrokerResult(string Broker, int Devices, int Sent, int Acknowledged, int Delivered, int Duplicates, TimeSpan Elapsed, CpuUse Cpu)
{
    public double ReadingsPerSecond => Delivered * ScalePayload.ReadingsPerMessage / Elapsed.TotalSeconds;

    public bool CountsMatch => Acknowledged == Sent && Delivered == Sent;
}
