using MQTTnet;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>The embedded broker authenticates every device by its own secret and lets it publish only as itself.</summary>
public sealed class DeviceSecurityTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task A_wrong_secret_or_unknown_device_is_refused_at_connect_and_listed()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Credential Check");
        var (deviceId, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);

        var (wrongSecret, wrongResult) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, "not-the-secret");
        var (unknown, unknownResult) = await MqttDevice.TryConnectAsync(Platform.MqttPort, "dev-doesnotexist", "whatever");

        Assert.Null(wrongSecret);
        Assert.Null(unknown);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrongResult);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknownResult);
        var items = (await Staff.GetJsonAsync("/api/rejections?limit=1000")).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(items, r => r.Str("reason") == "bad_credentials" && r.Str("deviceId") == deviceId);
        Assert.Single(items, r => r.Str("reason") == "unknown_device" && r.Str("deviceId") == "dev-doesnotexist");
    }

    [Fact]
    public async Task A_device_cannot_publish_under_another_devices_id()
    {
        var victimPatient = await TelehealthPlatform.CreatePatientAsync(Staff, "Victim");
        var (victimDevice, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, victimPatient);
        var attackerPatient = await TelehealthPlatform.CreatePatientAsync(Staff, "Attacker");
        var (attackerDevice, attackerSecret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, attackerPatient);
        await using var attacker = await MqttDevice.ConnectAsync(Platform, attackerDevice, attackerSecret);

        var spoofed = await attacker.PublishAsync($"telehealth/v1/devices/{victimDevice}/readings", """[{"n":"spo2","u":"%","v":70}]""");
        var offTopic = await attacker.PublishAsync("somewhere/else", "hello");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, spoofed.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.TopicNameInvalid, offTopic.ReasonCode);
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{victimPatient}/readings")).GetArrayLength());
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={victimPatient}")).GetArrayLength());
        var reasons = (await Staff.GetJsonAsync("/api/rejections?limit=1000")).GetProperty("items").EnumerateArray()
            .Where(r => r.Str("deviceId") == attackerDevice).Select(r => r.Str("reason")).Order().ToArray();
        Assert.Equal(["not_authorized", "unknown_topic"], reasons);
    }

    [Fact]
    public async Task A_device_secret_is_shown_once_and_only_its_hash_is_kept()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Secret Keeper");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);

        var listed = await Staff.GetJsonAsync($"/api/devices?patientId={patientId}");
        var single = await Staff.GetJsonAsync($"/api/devices/{deviceId}");

        Assert.Equal(1, listed.GetArrayLength());
        Assert.DoesNotContain(secret, listed.GetRawText());
        Assert.DoesNotContain(secret, single.GetRawText());
        Assert.False(single.TryGetProperty("secret", out _));
        var database = Path.Combine(((Microsoft.Extensions.Options.IOptions<Telehealth.Clinician.Web.Hosting.StorageOptions>)Platform.Services
            .GetService(typeof(Microsoft.Extensions.Options.IOptions<Telehealth.Clinician.Web.Hosting.StorageOptions>))!).Value.DataDirectory, "telehealth.db");
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetBytes(secret), ReadAllShared(database));
    }

    private static byte[] ReadAllShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var wal = path + "-wal";
        if (File.Exists(wal))
        {
            using var walStream = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            walStream.CopyTo(copy);
        }
        return copy.ToArray();
    }
}
