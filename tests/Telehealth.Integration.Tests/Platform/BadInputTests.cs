using System.Text.Json;
using MQTTnet;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>Bad input is refused with a reason, counted and listed for staff; it never crashes the platform or vanishes.</summary>
public sealed class BadInputTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task A_mixed_message_stores_its_good_records_and_lists_a_reason_for_each_bad_one()
    {
        var (patientId, deviceId, device) = await NewDeviceAsync("Mixed Message");
        await using var _ = device;
        var future = Json.UnixSeconds(DateTimeOffset.UtcNow.AddHours(2));
        var payload = $$"""
            [
              {"n":"spo2","u":"%","v":97},
              {"n":"heart_rate","u":"beat/min","v":4000},
              {"n":"shoe_size","u":"1","v":9},
              {"n":"respiratory_rate","u":"furlongs","v":16},
              {"n":"respiratory_rate","u":"/min","v":"NaN"},
              {"n":"heart_rate","u":"beat/min","v":70,"t":{{future}}},
              {"n":"body_temperature","u":"Cel","v":37},
              {"n":"respiratory_rate","u":"{breaths}/min","v":16}
            ]
            """;

        var result = await device.PublishReadingsAsync(payload);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var readings = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal(["respiratory_rate", "spo2"], readings.EnumerateArray().Select(r => r.Str("kind")).Order().ToArray());
        Assert.Equal(16.0, readings.EnumerateArray().Single(r => r.Str("kind") == "respiratory_rate").GetProperty("value").GetDouble(), 9);
        var reasons = await RejectionReasonsOfAsync(deviceId);
        // The oximeter's body temperature is well formed but not something an oximeter measures.
        Assert.Equal(["future_timestamp", "implausible_value", "not_a_number", "not_allowed_for_device_type", "unknown_name", "unknown_unit"], reasons.Order().ToArray());
    }

    [Theory]
    [InlineData("readings", "{not json", "malformed_json")]
    [InlineData("readings", """{"n":"spo2","v":97}""", "not_senml")]
    [InlineData("events", """{"event":"alien_abduction"}""", "unknown_event")]
    [InlineData("status", """{"battery":250}""", "invalid_status")]
    public async Task A_message_with_nothing_usable_is_refused_with_its_reason(string channel, string payload, string reason)
    {
        var (patientId, deviceId, device) = await NewDeviceAsync("Refused " + channel);
        await using var _ = device;

        var result = await device.PublishAsync($"telehealth/v1/devices/{deviceId}/{channel}", payload);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.Equal([reason], await RejectionReasonsOfAsync(deviceId));
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
    }

    [Fact]
    public async Task An_oversize_payload_is_refused_and_the_platform_keeps_working()
    {
        var (patientId, deviceId, device) = await NewDeviceAsync("Oversize");
        await using var _ = device;
        var huge = "[" + string.Join(",", Enumerable.Repeat("""{"n":"spo2","u":"%","v":97}""", 3000)) + "]";
        Assert.True(huge.Length > 64 * 1024);

        var refused = await device.PublishReadingsAsync(huge);
        var accepted = await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":96}]""");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, refused.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, accepted.ReasonCode);
        Assert.Equal(["payload_too_large"], await RejectionReasonsOfAsync(deviceId));
        Assert.Equal(1, (await Staff.GetJsonAsync($"/api/patients/{patientId}/readings")).GetArrayLength());
    }

    [Fact]
    public async Task Rejections_are_counted_by_reason()
    {
        var (_, deviceId, device) = await NewDeviceAsync("Counted");
        await using var _ = device;
        var before = await CountOfAsync("malformed_json");

        for (var i = 0; i < 3; i++)
        {
            await device.PublishReadingsAsync("]]");
        }

        Assert.Equal(before + 3, await CountOfAsync("malformed_json"));
        Assert.Equal(3, (await RejectionReasonsOfAsync(deviceId)).Count);
    }

    private async Task<(string PatientId, string DeviceId, MqttDevice Device)> NewDeviceAsync(string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, name);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        return (patientId, deviceId, await MqttDevice.ConnectAsync(Platform, deviceId, secret));
    }

    private async Task<List<string>> RejectionReasonsOfAsync(string deviceId)
    {
        var rejections = await Staff.GetJsonAsync("/api/rejections?limit=1000");
        return rejections.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("deviceId").ValueKind == JsonValueKind.String && r.Str("deviceId") == deviceId)
            .Select(r => r.Str("reason"))
            .ToList();
    }

    private async Task<long> CountOfAsync(string reason)
    {
        var counts = (await Staff.GetJsonAsync("/api/rejections?limit=1")).GetProperty("counts");
        return counts.TryGetProperty(reason, out var count) ? count.GetInt64() : 0;
    }
}
