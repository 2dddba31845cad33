namespace Telehealth.Bench;

/// <summary>
/// What this process spent per reading while a clock ran: CPU time (all threads), bytes allocated, and the
/// collections the garbage collector ran. Figures that hold whatever else the machine is doing, unlike a rate.
/// </summary>
public sealed record ProcessCostPerReading(double CpuMicroseconds, double AllocatedBytes, int Gen0, int Gen1, int Gen2, bool ServerGc)
{
    /// <summary>Starts counting; <see cref="Meter.Stop"/> divides by the readings.</summary>
    public static Meter Start() => new();

    public override string ToString() =>
        $"{CpuMicroseconds:N0} µs of CPU and {AllocatedBytes / 1024:N1} KB allocated per reading; collections gen0 {Gen0:N0}, gen1 {Gen1:N0}, gen2 {Gen2:N0} ({(ServerGc ? "server" : "workstation")} GC)";

    public sealed class Meter
    {
        private readonly TimeSpan _cpu = Environment.CpuUsage.TotalTime;
        private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: false);
        private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

        public ProcessCostPerReading Stop(int readings) => new(
            (Environment.CpuUsage.TotalTime - _cpu).TotalMicroseconds / readings,
            (GC.GetTotalAllocatedBytes(precise: false) - _allocated) / (double)readings,
            GC.CollectionCount(0) - _collections[0],
            GC.CollectionCount(1) - _collections[1],
            GC.CollectionCount(2) - _collections[2],
            System.Runtime.GCSettings.IsServerGC);
    }
}
