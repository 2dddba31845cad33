using System.Diagnostics;
using System.Text;
using Telehealth.TestSupport;
using Xunit.Abstractions;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// The probe's memory attacks, against the real platform in this process: 200 MB CONNECTs and 250 MB PUBLISHes
/// (headers and then as much body as the broker takes) and slow senders, all at once. Before the packet guard,
/// MQTTnet allocated each declared body up front (four 200 MB CONNECTs: 278 MB → 1 GB). Runs alone so other test
/// classes' allocations do not blur the figures; the figures go to the test output and docs/architecture.md.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class EdgeMemoryTests(ITestOutputHelper output)
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    [Fact]
    public async Task Oversize_declarations_and_slow_senders_leave_memory_flat_and_honest_devices_served()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Mqtt:Embedded:ConnectTimeout"] = "00:00:03" });
        using var staff = await platform.CreateStaffClientAsync();
        await using var honest = await NormalDevice.ConnectAsync(platform, staff, "Honest Under Load");
        var publishers = new List<(string DeviceId, string Secret)>();
        for (var i = 0; i < 2; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Big Publisher {i}");
            publishers.Add(await TelehealthPlatform.RegisterDeviceAsync(staff, patientId));
        }
        await honest.AssertServedAsync();

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var heapPeak = heapBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(10, CancellationToken.None);
            }
        });

        var attacks = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            attacks.Add(DeclareAndStreamAsync(platform.MqttPort, $"127.0.0.{31 + i}", [0x10, .. RawMqttSocket.RemainingLength(200_000_000)], null));
        }
        foreach (var ((deviceId, secret), i) in publishers.Select((p, i) => (p, i)))
        {
            var topic = Encoding.UTF8.GetBytes($"telehealth/v1/devices/{deviceId}/readings");
            attacks.Add(DeclareAndStreamAsync(platform.MqttPort, $"127.0.0.{35 + i}",
                [0x32, .. RawMqttSocket.RemainingLength(250_000_000), 0, (byte)topic.Length, .. topic, 0, 1],
                RawMqttSocket.Connect311($"{deviceId}-big", deviceId, secret)));
        }
        for (var i = 0; i < 2; i++)
        {
            attacks.Add(SlowConnectAsync(platform.MqttPort, $"127.0.0.{37 + i}"));
        }
        await honest.AssertServedAsync();
        await Task.WhenAll(attacks);
        await honest.AssertServedAsync();

        await sampling.CancelAsync();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        output.WriteLine($"Managed heap before {Mb(heapBefore)}, peak during attack {Mb(heapPeak)} (+{Mb(heapPeak - heapBefore)}), after {Mb(heapAfter)}");
        output.WriteLine($"Allocated during attack: {Mb(allocated)}; working set {Mb(workingSetBefore)} -> {Mb(process.WorkingSet64)}");
        Assert.True(heapPeak - heapBefore < FiftyMegabytes, $"managed heap grew by {Mb(heapPeak - heapBefore)} during the attack");
        Assert.True(allocated < 2 * FiftyMegabytes, $"{Mb(allocated)} allocated during the attack");
        Assert.True(heapAfter - heapBefore < FiftyMegabytes, $"managed heap {Mb(heapAfter - heapBefore)} larger after the attack");
    }

    /// <summary>Optionally CONNECTs, sends an oversize header, then streams body until the broker closes (at most 16 MB).</summary>
    private static async Task DeclareAndStreamAsync(int port, string source, byte[] header, byte[]? connect)
    {
        await using var socket = await RawMqttSocket.ConnectAsync(port, source);
        if (connect is not null)
        {
            await socket.TrySendAsync(connect);
            Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, await socket.ReadPacketAsync(TimeSpan.FromSeconds(30)));
        }
        await socket.TrySendAsync(header);
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < 256 && await socket.TrySendAsync(chunk); sent++)
        {
        }
        await socket.WaitClosedAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A CONNECT one byte every 200 ms: the connect deadline (3 s) closes it long before it completes.</summary>
    private static async Task SlowConnectAsync(int port, string source)
    {
        await using var socket = await RawMqttSocket.ConnectAsync(port, source);
        var connect = RawMqttSocket.Connect311("dev-slowslowsl-1", "dev-slowslowsl", new string('p', 200));
        var closed = socket.WaitClosedAsync(TimeSpan.FromSeconds(30));
        foreach (var b in connect)
        {
            if (closed.IsCompleted || !await socket.TrySendAsync(new[] { b }))
            {
                break;
            }
            await Task.Delay(200, CancellationToken.None);
        }
        await closed;
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";
}
