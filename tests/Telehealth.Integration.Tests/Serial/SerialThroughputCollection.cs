namespace Telehealth.Integration.Tests.Serial;

/// <summary>
/// Frame-exact pty tests run after the parallel ones, alone. The emulator plays device time 16× faster than real (a
/// CMS50 v4.6 then writes about 8.6 KB/s), and a pty's line discipline holds only about 4 KiB: when the machine's two
/// cores are starved by a few hundred other tests, the bridge can fall behind long enough for the kernel to drop bytes,
/// which the decoder rightly counts. Seen once under a loaded run; a real device at 1× never comes near it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialThroughputCollection
{
    public const string Name = "Serial pty throughput (runs alone)";
}
