using MQTTnet;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>An honest device that must keep being served while another connection misbehaves.</summary>
internal sealed class NormalDevice : IAsyncDisposable
{
    private readonly HttpClient _staff;
    private int _published;

    private NormalDevice(HttpClient staff, string patientId, MqttDevice device)
    {
        _staff = staff;
        PatientId = patientId;
        Device = device;
    }

    public string PatientId { get; }

    public MqttDevice Device { get; }

    public static async Task<NormalDevice> ConnectAsync(TelehealthPlatform platform, HttpClient staff, string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, name);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        return new NormalDevice(staff, patientId, await MqttDevice.ConnectAsync(platform.MqttPort, deviceId, secret));
    }

    /// <summary>Publishes one more reading, asserts its PUBACK is a success and that every reading so far is stored.</summary>
    public async Task AssertServedAsync()
    {
        var deviceTime = DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(_published);
        var result = await Device.PublishReadingsAsync($$"""[{"n":"spo2","u":"%","v":97,"t":{{Json.UnixSeconds(deviceTime)}}}]""");
        _published++;
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.Equal(_published, (await _staff.GetJsonAsync($"/api/patients/{PatientId}/readings")).GetArrayLength());
    }

    public ValueTask DisposeAsync() => Device.DisposeAsync();
}
