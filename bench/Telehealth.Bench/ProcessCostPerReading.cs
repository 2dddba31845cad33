namespace Telehealth.Bench;

/// <summary>
/// What this process spent per reading while a clock ran: CPU time (all threads), bytes allocated, and the
/// collections the garbage collector ran. Figures that hold whatever else the machine is doing, unlike a rate.
/// </summary>
/// <param name="WrittenBytes">Bytes this process handed to write calls (files and sockets; /proc/self/io wchar), or null off Linux.</param>
/// <param name="WriteCalls">Write system calls (syscw), or null off Linux.</param>
public sealed record ProcessCostPerReading(
    double CpuMicroseconds, double AllocatedBytes, int Gen0, int Gen1, int Gen2, bool ServerGc, double? WrittenBytes = null, double? WriteCalls = null)
{
    /// <summary>Starts counting; <see cref="Meter.Stop"/> divides by the readings.</summary>
    public static Meter Start() => new();

    public override string ToString() =>
        $"{CpuMicroseconds:N0} µs of CPU and {AllocatedBytes / 1024:N1} KB allocated per reading" +
        (WrittenBytes is { } written && WriteCalls is { } calls ? $", {written / 1024:N1} KB written in {calls:N1} write calls per reading (files and sockets)" : "") +
        $"; collections gen0 {Gen0:N0}, gen1 {Gen1:N0}, gen2 {Gen2:N0} ({(ServerGc ? "server" : "workstation")} GC)";

    /// <summary>(wchar, syscw) from /proc/self/io; null where there is none.</summary>
    private static (long Bytes, long Calls)? ReadWrites()
    {
        const string Path = "/proc/self/io";
        if (!File.Exists(Path))
        {
            return null;
        }
        long bytes = -1, calls = -1;
        foreach (var line in File.ReadLines(Path))
        {
            var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts is ["wchar", var wchar])
            {
                bytes = long.Parse(wchar, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (parts is ["syscw", var syscw])
            {
                calls = long.Parse(syscw, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return bytes >= 0 && calls >= 0 ? (bytes, calls) : null;
    }

    public sealed class Meter
    {
        private readonly TimeSpan _cpu = Environment.CpuUsage.TotalTime;
        private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: false);
        private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        private readonly (long Bytes, long Calls)? _writes = ReadWrites();

        public ProcessCostPerReading Stop(int readings)
        {
            var writes = ReadWrites();
            return new(
                (Environment.CpuUsage.TotalTime - _cpu).TotalMicroseconds / readings,
                (GC.GetTotalAllocatedBytes(precise: false) - _allocated) / (double)readings,
                GC.CollectionCount(0) - _collections[0],
                GC.CollectionCount(1) - _collections[1],
                GC.CollectionCount(2) - _collections[2],
                System.Runtime.GCSettings.IsServerGC,
                writes is { } after && _writes is { } before ? (after.Bytes - before.Bytes) / (double)readings : null,
                writes is { } end && _writes is { } start ? (end.Calls - start.Calls) / (double)readings : null);
        }
    }
}
