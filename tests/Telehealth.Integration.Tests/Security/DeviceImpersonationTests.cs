using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Telehealth.Gateway.Mqtt;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// H9 (data attributed to the wrong person): a device with its own valid credentials tries to become another device
/// through MQTT sessions and client ids. Every attempt must be refused with a reason, recorded, and leave nothing in
/// the victim's record, while the victim keeps being served.
/// </summary>
[Trait("Hazard", "H9")]
public sealed class DeviceImpersonationTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V500, true)]
    public async Task H9_a_device_cannot_take_over_another_devices_live_session_with_its_client_id(MqttProtocolVersion version, bool withSessionExpiry)
    {
        var (victimPatient, victimId, victimSecret) = await NewDeviceAsync("Victim " + version);
        var (_, attackerId, attackerSecret) = await NewDeviceAsync("Attacker " + version);
        var expiry = withSessionExpiry ? TimeSpan.FromHours(1) : (TimeSpan?)null;
        await using var victim = await MqttDevice.ConnectAsync(Platform.MqttPort, victimId, victimSecret, version, $"{victimId}-1", cleanSession: false, expiry);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await victim.PublishReadingsAsync(Reading("spo2", "%", 97, -20))).ReasonCode);

        var (attacker, result) = await MqttDevice.TryConnectAsync(Platform.MqttPort, attackerId, attackerSecret, version, $"{victimId}-1", cleanSession: false, expiry);

        Assert.Null(attacker);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, result);
        Assert.True(victim.IsConnected);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await victim.PublishReadingsAsync(Reading("spo2", "%", 96, -10))).ReasonCode);
        var readings = await Staff.GetJsonAsync($"/api/patients/{victimPatient}/readings");
        Assert.Equal([96.0, 97.0], readings.EnumerateArray().Select(r => r.GetProperty("value").GetDouble()).Order().ToArray());
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={victimPatient}")).GetArrayLength());
        Assert.Equal(["client_id_not_bound"], await Rejections.ReasonsOfDeviceAsync(Staff, attackerId));
        Assert.Empty(await Rejections.ReasonsOfDeviceAsync(Staff, victimId));
    }

    [Fact]
    public async Task H9_a_device_cannot_resume_a_session_another_device_left_behind()
    {
        var (victimPatient, victimId, victimSecret) = await NewDeviceAsync("Left Session");
        var (_, attackerId, attackerSecret) = await NewDeviceAsync("Resumer");
        await using (var victim = await MqttDevice.ConnectAsync(Platform.MqttPort, victimId, victimSecret, MqttProtocolVersion.V500, $"{victimId}-home", cleanSession: false, TimeSpan.FromHours(1)))
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await victim.PublishReadingsAsync(Reading("spo2", "%", 95, -5))).ReasonCode);
        }

        var results = new List<MqttClientConnectResultCode>();
        foreach (var clientId in new[] { $"{victimId}-home", victimId, $"{victimId}-2" })
        {
            var (attacker, result) = await MqttDevice.TryConnectAsync(Platform.MqttPort, attackerId, attackerSecret, MqttProtocolVersion.V500, clientId, cleanSession: false, TimeSpan.FromHours(1));
            Assert.Null(attacker);
            results.Add(result);
        }

        Assert.All(results, r => Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, r));
        Assert.Equal(1, (await Staff.GetJsonAsync($"/api/patients/{victimPatient}/readings")).GetArrayLength());
        // One listed refusal per device, reason and window: the repeats are counted, not listed.
        Assert.Equal(["client_id_not_bound"], await Rejections.ReasonsOfDeviceAsync(Staff, attackerId));
    }

    [Fact]
    public async Task H9_a_device_cannot_subscribe_to_another_devices_topics()
    {
        var (_, victimId, _) = await NewDeviceAsync("Listened To");
        var (_, attackerId, attackerSecret) = await NewDeviceAsync("Listener");
        await using var attacker = await MqttDevice.ConnectAsync(Platform.MqttPort, attackerId, attackerSecret);

        var victimTopic = await attacker.SubscribeAsync($"telehealth/v1/devices/{victimId}/readings");
        var everyDevice = await attacker.SubscribeAsync("telehealth/v1/devices/+/readings");
        var everything = await attacker.SubscribeAsync("#");
        var own = await attacker.SubscribeAsync($"telehealth/v1/devices/{attackerId}/commands");

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, victimTopic);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, everyDevice);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, everything);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, own);
        Assert.Equal(["not_authorized", "not_authorized", "not_authorized"], await Rejections.ReasonsOfDeviceAsync(Staff, attackerId));
    }

    [Fact]
    public async Task H9_a_fall_and_a_low_heart_rate_published_on_another_devices_topics_are_refused_and_nothing_is_stored_for_that_person()
    {
        var (victimPatient, victimId, victimSecret) = await NewDeviceAsync("Not Fallen");
        var (_, attackerId, attackerSecret) = await NewDeviceAsync("Faker");
        await using var victim = await MqttDevice.ConnectAsync(Platform.MqttPort, victimId, victimSecret);
        await using var attacker = await MqttDevice.ConnectAsync(Platform.MqttPort, attackerId, attackerSecret, MqttProtocolVersion.V500, $"{attackerId}-1", cleanSession: false, TimeSpan.FromHours(1));

        var fall = await attacker.PublishAsync($"telehealth/v1/devices/{victimId}/events", """{"event":"fall_detected"}""");
        var heartRate = await attacker.PublishAsync($"telehealth/v1/devices/{victimId}/readings", """[{"n":"heart_rate","u":"beat/min","v":33}]""");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, fall.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, heartRate.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await victim.PublishReadingsAsync(Reading("heart_rate", "beat/min", 72, -1))).ReasonCode);
        var readings = await Staff.GetJsonAsync($"/api/patients/{victimPatient}/readings");
        Assert.Equal(72.0, Assert.Single(readings.EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Equal(0, (await Staff.GetJsonAsync($"/api/alerts?patientId={victimPatient}")).GetArrayLength());
        Assert.Equal(["not_authorized", "not_authorized"], await Rejections.ReasonsOfDeviceAsync(Staff, attackerId));
    }

    [Fact]
    public async Task A_device_holds_at_most_four_sessions_and_gets_a_slot_back_when_one_closes()
    {
        var (_, deviceId, secret) = await NewDeviceAsync("Many Sessions");
        var broker = Platform.Services.GetRequiredService<EmbeddedMqttBroker>();
        var sessions = new List<MqttDevice>();
        try
        {
            for (var i = 1; i <= 4; i++)
            {
                sessions.Add(await MqttDevice.ConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V500, $"{deviceId}-{i}"));
            }

            var (fifth, fifthResult) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V500, $"{deviceId}-5");
            var (fifth311, fifth311Result) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V311, $"{deviceId}-6");
            // Reconnecting with a client id it already holds replaces its own connection, within the limit.
            var again = await MqttDevice.ConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V500, $"{deviceId}-4");
            sessions.Add(again);

            Assert.Null(fifth);
            Assert.Null(fifth311);
            Assert.Equal(MqttClientConnectResultCode.QuotaExceeded, fifthResult);
            Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, fifth311Result);
            Assert.Equal(4, broker.SessionsOf(deviceId));
            Assert.Equal(MqttClientPublishReasonCode.Success, (await again.PublishReadingsAsync(Reading("spo2", "%", 97, -3))).ReasonCode);

            await sessions[0].DisposeAsync();
            await Eventually.GetAsync(() => Task.FromResult(broker.SessionsOf(deviceId)), n => n == 3);
            sessions.Add(await MqttDevice.ConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V500, $"{deviceId}-7"));

            Assert.Equal(4, broker.SessionsOf(deviceId));
            Assert.Equal(["too_many_sessions"], await Rejections.ReasonsOfDeviceAsync(Staff, deviceId));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_id_outside_the_device_namespace_is_refused_even_for_the_device_itself()
    {
        var (_, deviceId, secret) = await NewDeviceAsync("Odd Client Id");

        var (named, namedResult) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V500, "my-oximeter");
        var (newline, newlineResult) = await MqttDevice.TryConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V311, $"{deviceId}-a\nb");
        await using var own = await MqttDevice.ConnectAsync(Platform.MqttPort, deviceId, secret, MqttProtocolVersion.V311, deviceId);

        Assert.Null(named);
        Assert.Null(newline);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, namedResult);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, newlineResult);
        var listed = (await Rejections.AllAsync(Staff)).Single(r => r.GetProperty("deviceId").GetString() == deviceId);
        Assert.Equal("client_id_not_bound", listed.Str("reason"));
        Assert.Equal("Client id 'my-oximeter' does not belong to this device.", listed.Str("detail"));
    }

    private async Task<(string PatientId, string DeviceId, string Secret)> NewDeviceAsync(string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, name);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        return (patientId, deviceId, secret);
    }

    private static string Reading(string name, string unit, double value, int minutesAgo) =>
        $$"""[{"n":"{{name}}","u":"{{unit}}","v":{{value}},"t":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(minutesAgo))}}}]""";
}
