using MQTTnet;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// A device message InfluxDB takes only in part (a record older than the raw retention policy keeps): the good record
/// is stored once, the dropped one is a visible store_refused rejection, and the device is acknowledged (no resend loop).
/// </summary>
public sealed class InfluxPartialWriteTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    [Fact]
    public async Task A_record_older_than_the_retention_policy_is_refused_visibly_and_the_rest_stored_once()
    {
        var database = InfluxServer.NewDatabaseName("partial");
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = database,
            ["Storage:Influx:RawRetentionPolicy"] = "raw",
            ["Storage:Influx:RawRetention"] = "01:00:00",
        });
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Partial Write Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(platform, deviceId, secret);
        var now = DateTimeOffset.UtcNow;
        var payload = $$"""[{"bt":{{Json.UnixSeconds(now.AddDays(-2))}},"n":"spo2","u":"%","v":97},{"bt":{{Json.UnixSeconds(now.AddMinutes(-1))}},"n":"spo2","u":"%","v":96}]""";

        var first = await device.PublishReadingsAsync(payload);
        var again = await device.PublishReadingsAsync(payload);

        Assert.Equal(MqttClientPublishReasonCode.Success, first.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, again.ReasonCode);
        var readings = await staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal([96.0], readings.EnumerateArray().Select(r => r.GetProperty("value").GetDouble()));
        var refused = (await staff.GetJsonAsync($"/api/rejections?deviceId={deviceId}&reason=store_refused")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, refused.Count); // once per delivery of the old record
        Assert.All(refused, r => Assert.Contains("points beyond retention policy", r.GetProperty("detail").GetString()));
        await influx.DropDatabaseAsync(database);
    }
}
