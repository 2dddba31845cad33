using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Contracts.Devices;
using Telehealth.TestSupport;

namespace Telehealth.Bench;

/// <summary>
/// One device publishing <c>floodMessages</c> as fast as it can (QoS 1, many in flight) beside <c>normalDevices</c>
/// devices each sending a reading every <see cref="NormalInterval"/>, on a fresh platform with the default per-device
/// rate limit. Reports what the flood got (stored, refused as rate_limited; the two must add up to what it sent) and
/// the normal devices' PUBACK latency, with and without the flood beside them.
/// </summary>
public static class FloodBenchmark
{
    private static readonly TimeSpan NormalInterval = TimeSpan.FromMilliseconds(500);

    public sealed record Result(
        int FloodSent, int FloodStored, int FloodRefused, long FloodRefusedByPlatform, TimeSpan FloodElapsed,
        int NormalSent, int NormalAcknowledged, int NormalStored, double P50Ms, double P99Ms, double MaxMs);

    public static async Task<Result> RunAsync(int floodMessages, int normalDevices, int normalMessagesEach, CancellationToken cancellationToken)
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var normals = new List<(string PatientId, string DeviceId, string Secret)>();
        for (var i = 0; i < normalDevices; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Bench Normal {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            normals.Add((patientId, deviceId, secret));
        }
        var floodPatient = await TelehealthPlatform.CreatePatientAsync(staff, "Bench Flood");
        var (floodId, floodSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, floodPatient);
        var firstSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - Math.Max(floodMessages, normalMessagesEach);

        var latencies = new ConcurrentBag<double>();
        var normalAcknowledged = 0;
        var normalTasks = normals.Select(async n =>
        {
            using var client = await ConnectAsync(platform.MqttPort, n.DeviceId, n.Secret, cancellationToken);
            for (var m = 0; m < normalMessagesEach; m++)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await client.PublishAsync(Message(n.DeviceId, firstSecond + m), cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    Interlocked.Increment(ref normalAcknowledged);
                }
                await Task.Delay(NormalInterval, cancellationToken);
            }
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }).ToList();

        var floodStored = 0;
        var floodRefused = 0;
        var floodWatch = Stopwatch.StartNew();
        if (floodMessages > 0)
        {
            using var flood = await ConnectAsync(platform.MqttPort, floodId, floodSecret, cancellationToken);
            using var inFlight = new SemaphoreSlim(100);
            var pending = new List<Task>(floodMessages);
            for (var m = 0; m < floodMessages; m++)
            {
                await inFlight.WaitAsync(cancellationToken);
                var message = Message(floodId, firstSecond + m);
                pending.Add(Task.Run(async () =>
                {
                    try
                    {
                        var result = await flood.PublishAsync(message, cancellationToken);
                        Interlocked.Increment(ref result.ReasonCode == MqttClientPublishReasonCode.Success ? ref floodStored : ref floodRefused);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }, cancellationToken));
            }
            await Task.WhenAll(pending);
            await flood.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        floodWatch.Stop();
        await Task.WhenAll(normalTasks);

        var normalStored = 0;
        foreach (var (patientId, _, _) in normals)
        {
            normalStored += await CountAsync(staff, patientId, cancellationToken);
        }
        var floodInStore = await CountAsync(staff, floodPatient, cancellationToken);
        using var device = JsonDocument.Parse(await staff.GetStringAsync($"/api/devices/{floodId}", cancellationToken));
        var refusedByPlatform = device.RootElement.GetProperty("rateLimitedMessages").GetInt64();
        var sorted = latencies.Order().ToArray();
        return new Result(floodMessages, floodInStore, floodRefused, refusedByPlatform, floodWatch.Elapsed,
            normalDevices * normalMessagesEach, normalAcknowledged, normalStored,
            Percentile(sorted, 0.5), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1]);
    }

    public static string Describe(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"flood: sent {r.FloodSent}, stored {r.FloodStored}, refused rate_limited {r.FloodRefused} (platform counted {r.FloodRefusedByPlatform}) " +
        $"[{(r.FloodStored + r.FloodRefused == r.FloodSent && r.FloodRefused == r.FloodRefusedByPlatform ? "ADDS UP" : "MISMATCH")}] in {r.FloodElapsed.TotalSeconds:0.00} s; " +
        $"normal devices: sent {r.NormalSent}, acknowledged {r.NormalAcknowledged}, stored {r.NormalStored}; PUBACK p50 {r.P50Ms:0.0} ms, p99 {r.P99Ms:0.0} ms, max {r.MaxMs:0.0} ms");

    private static async Task<IMqttClient> ConnectAsync(int port, string deviceId, string secret, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(deviceId + "-bench")
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build();
        var connected = await client.ConnectAsync(options, cancellationToken);
        return connected.ResultCode == MqttClientConnectResultCode.Success
            ? client
            : throw new InvalidOperationException($"Device {deviceId} could not connect: {connected.ResultCode}.");
    }

    private static MqttApplicationMessage Message(string deviceId, long unixSeconds) => new MqttApplicationMessageBuilder()
        .WithTopic(DeviceTopics.Readings(deviceId))
        .WithPayload(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""[{"bt":{{unixSeconds}},"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":72}]""")))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    private static async Task<int> CountAsync(HttpClient staff, string patientId, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await staff.GetStringAsync($"/api/patients/{patientId}/readings?limit=100000&kind=spo2", cancellationToken));
        return body.RootElement.EnumerateArray().Count(r => r.GetProperty("kind").GetString() == "spo2");
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
