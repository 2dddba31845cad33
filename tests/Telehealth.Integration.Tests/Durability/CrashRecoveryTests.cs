using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Durability;

/// <summary>
/// The real platform process is killed (SIGKILL, by itself at a named crash point) between the durable steps of a
/// reading's way — stored and due, evaluated, alert recorded, alert pushed — and started again on the same data. The
/// device then sends the same message again, as a QoS 1 device does when it never saw (or cannot trust) the PUBACK.
/// Whatever the point, the end is the same: the reading stored once, evaluated once in effect, each alert raised
/// once with one occurrence, and every alert event there for a dashboard that catches up after reconnecting.
/// </summary>
[Trait("Hazard", "H1")]
[Trait("Hazard", "H2")]
[Trait("Hazard", "H3")]
public sealed class CrashRecoveryTests
{
    [Theory]
    [InlineData(CrashPoints.AfterStore)]
    [InlineData(CrashPoints.BeforeAlertCommit)]
    [InlineData(CrashPoints.AfterAlertCommit)]
    public async Task A_crash_at_any_point_ends_with_the_reading_stored_once_and_each_alert_raised_once(string crashPoint)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-crash-" + Guid.NewGuid().ToString("N"));
        var password = "crash-" + Guid.NewGuid().ToString("N");
        var (httpPort, mqttPort) = (FreePort.Next(), FreePort.Next());
        var measuredAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var payload = $$"""[{"bt":{{Json.UnixSeconds(measuredAt)}},"n":"spo2","u":"%","v":85}]""";
        string patientId, deviceId, secret;
        try
        {
            await using (var first = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, crashPoint))
            {
                using var staff = await first.CreateStaffClientAsync(password);
                patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Crash Person");
                (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
                var device = await MqttDevice.ConnectAsync(first.MqttPort, deviceId, secret);
                try
                {
                    await device.PublishReadingsAsync(payload);
                }
                catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
                {
                    // The process died before acknowledging (after-store): the device saw no PUBACK.
                }
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
                Assert.True(first.HasExited, first.OutputTail);
                Assert.Contains($"crash point {crashPoint} reached", first.OutputTail);
                try
                {
                    await device.DisposeAsync();
                }
                catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
                {
                    // The broker is gone with the process.
                }
            }

            await using var second = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort);
            using var staffAgain = await second.CreateStaffClientAsync(password);
            await using (var device = await MqttDevice.ConnectAsync(second.MqttPort, deviceId, secret))
            {
                var resent = await device.PublishReadingsAsync(payload);
                Assert.Equal(MqttClientPublishReasonCode.Success, resent.ReasonCode);
            }
            await second.WaitForEvaluationAsync();

            var readings = (await staffAgain.GetJsonAsync($"/api/patients/{patientId}/readings")).EnumerateArray().ToArray();
            Assert.Equal([85.0], readings.Select(r => r.GetProperty("value").GetDouble()));

            var alerts = (await staffAgain.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray().ToArray();
            Assert.Equal(["news2", "threshold:spo2"], alerts.Select(a => a.Str("condition")).Order());
            Assert.All(alerts, a => Assert.Equal(1, a.GetProperty("occurrences").GetInt32()));

            // A dashboard that saw nothing before the crash catches up from the event log: one "raised" per alert.
            var events = (await staffAgain.GetJsonAsync("/api/alerts/events?after=0")).EnumerateArray().ToArray();
            Assert.Equal(["raised", "raised"], events.Select(e => e.Str("eventType")));
            Assert.Equal(alerts.Select(a => a.Str("id")).Order(), events.Select(e => e.Str("id")).Order());
            Assert.Equal([1L, 2L], events.Select(e => e.GetProperty("eventSequence").GetInt64()));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    [Fact]
    [Trait("Hazard", "H15")]
    public async Task A_crash_after_a_timer_fired_still_raises_the_silence_once_after_restart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-crash-" + Guid.NewGuid().ToString("N"));
        var password = "crash-" + Guid.NewGuid().ToString("N");
        var (httpPort, mqttPort) = (FreePort.Next(), FreePort.Next());
        string patientId, deviceId;
        try
        {
            await using (var first = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, CrashPoints.AfterTimerFired))
            {
                using var staff = await first.CreateStaffClientAsync(password);
                patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Silent Crash Person");
                string secret;
                (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pendant_alarm");
                var device = await MqttDevice.ConnectAsync(first.MqttPort, deviceId, secret);
                // Heard once, declaring a 1 s heartbeat: three seconds of silence later the wake-up fires, and the
                // process dies with the timer in the queue and not yet evaluated.
                await device.PublishStatusAsync("""{"interval":1}""");
                await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
                Assert.True(first.HasExited, first.OutputTail);
                Assert.Contains($"crash point {CrashPoints.AfterTimerFired} reached", first.OutputTail);
                try
                {
                    await device.DisposeAsync();
                }
                catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
                {
                    // The broker is gone with the process.
                }
            }

            await using var second = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort);
            using var staffAgain = await second.CreateStaffClientAsync(password);
            await second.WaitForEvaluationAsync();

            var alerts = (await staffAgain.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray().ToArray();
            var silence = Assert.Single(alerts);
            Assert.Equal(($"silence:{deviceId}", 1), (silence.Str("condition"), silence.GetProperty("occurrences").GetInt32()));
            var events = (await staffAgain.GetJsonAsync($"/api/alerts/{silence.Str("id")}/events")).EnumerateArray().ToArray();
            Assert.Equal(["raised"], events.Select(e => e.Str("eventType")));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }
}
