using System.Collections.Concurrent;
using System.Globalization;
using MQTTnet;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// One device flooding beside normal ones: its excess is refused with a reason and counted (never silently dropped), and
/// the others keep their service. Exact counts only; the timing figures are in bench/RESULTS.md.
/// </summary>
[Trait("Hazard", "H1")]
public sealed class DeviceRateLimitTests
{
    private const int FloodMessages = 3000;
    private const int NormalDevices = 10;
    private const int NormalMessages = 20;
    private const int Burst = 50;

    [Fact]
    public async Task H1_a_flooding_device_is_refused_past_its_rate_every_message_accounted_for_and_the_others_keep_service()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Devices:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
            ["Devices:MessagesPerSecond"] = "5",
        });
        using var staff = await platform.CreateStaffClientAsync();
        var floodPatient = await TelehealthPlatform.CreatePatientAsync(staff, "Flood Person");
        var (floodId, floodSecret) = await TelehealthPlatform.RegisterDeviceAsync(staff, floodPatient);
        var normals = new List<(string PatientId, string DeviceId, string Secret)>();
        for (var i = 0; i < NormalDevices; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Normal Person {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            normals.Add((patientId, deviceId, secret));
        }
        await using var flood = await MqttDevice.ConnectAsync(platform.MqttPort, floodId, floodSecret);
        var start = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        var floodCodes = new ConcurrentBag<MqttClientPublishReasonCode>();
        var normalCodes = new ConcurrentBag<MqttClientPublishReasonCode>();

        using var inFlight = new SemaphoreSlim(64);
        var floodTask = Task.WhenAll(Enumerable.Range(0, FloodMessages).Select(async i =>
        {
            await inFlight.WaitAsync();
            try
            {
                floodCodes.Add((await flood.PublishReadingsAsync(Spo2(start + i))).ReasonCode);
            }
            finally
            {
                inFlight.Release();
            }
        }));
        var normalTasks = normals.Select(async n =>
        {
            await using var device = await MqttDevice.ConnectAsync(platform.MqttPort, n.DeviceId, n.Secret);
            for (var i = 0; i < NormalMessages; i++)
            {
                normalCodes.Add((await device.PublishReadingsAsync(Spo2(start + i))).ReasonCode);
            }
        });
        await Task.WhenAll([floodTask, .. normalTasks]);
        await platform.SettledAsync(TimeSpan.FromSeconds(60));

        var accepted = floodCodes.Count(c => c == MqttClientPublishReasonCode.Success);
        var refused = floodCodes.Count(c => c == MqttClientPublishReasonCode.QuotaExceeded);
        Assert.Equal(FloodMessages, accepted + refused);
        Assert.InRange(accepted, Burst, FloodMessages - 1);
        Assert.Equal(accepted, await ReadingCountAsync(staff, floodPatient));
        var floodDevice = await staff.GetJsonAsync($"/api/devices/{floodId}");
        Assert.Equal(refused, floodDevice.GetProperty("rateLimitedMessages").GetInt64());
        var listed = await staff.GetJsonAsync($"/api/rejections?deviceId={floodId}&reason=rate_limited");
        Assert.NotEqual(0, listed.GetProperty("items").GetArrayLength());

        Assert.Equal(Enumerable.Repeat(MqttClientPublishReasonCode.Success, NormalDevices * NormalMessages), normalCodes);
        foreach (var (patientId, deviceId, _) in normals)
        {
            Assert.Equal(NormalMessages, await ReadingCountAsync(staff, patientId));
            Assert.Equal(0, (await staff.GetJsonAsync($"/api/devices/{deviceId}")).GetProperty("rateLimitedMessages").GetInt64());
        }
    }

    [Fact]
    public async Task H1_an_MQTT_3_1_1_device_over_its_rate_is_disconnected_unacknowledged_rather_than_told_stored()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Devices:Burst"] = "2",
            ["Devices:MessagesPerSecond"] = "0.01",
        });
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Old Protocol Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(platform.MqttPort, deviceId, secret, MQTTnet.Formatter.MqttProtocolVersion.V311);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Disconnected += _ =>
        {
            dropped.TrySetResult();
            return Task.CompletedTask;
        };
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();

        await device.PublishReadingsAsync(Spo2(start));
        await device.PublishReadingsAsync(Spo2(start + 1));
        var third = device.PublishReadingsAsync(Spo2(start + 2));

        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAnyAsync<Exception>(() => third);
        await platform.SettledAsync();
        Assert.Equal(2, await ReadingCountAsync(staff, patientId));
        Assert.Equal(1, (await staff.GetJsonAsync($"/api/devices/{deviceId}")).GetProperty("rateLimitedMessages").GetInt64());
    }

    private static string Spo2(long unixSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $$"""[{"bt":{{unixSeconds}},"n":"spo2","u":"%","v":97}]""");

    private static async Task<int> ReadingCountAsync(HttpClient staff, string patientId) =>
        (await staff.GetJsonAsync($"/api/patients/{patientId}/readings?limit=100000")).GetArrayLength();
}
