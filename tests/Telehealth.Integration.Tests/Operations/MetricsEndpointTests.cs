using System.Globalization;
using System.Text.RegularExpressions;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Operations;

/// <summary>
/// Each stage is measured and scraped at <c>/metrics</c> (Prometheus text): the edge, ingest and evaluation counters
/// move by exactly what was sent. The platform runs as its own process so no other test's traffic is counted.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_count_each_stage_exactly()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-metrics-" + Guid.NewGuid().ToString("N"));
        var password = "metrics-" + Guid.NewGuid().ToString("N");
        try
        {
            await using var platform = await PlatformProcess.StartAsync(dataDirectory, password, FreePort.Next(), FreePort.Next());
            using var staff = await platform.CreateStaffClientAsync(password);
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Metrics Person");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
            var payload = $$"""[{"bt":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddMinutes(-1))}},"n":"spo2","u":"%","v":97},{"n":"heart_rate","u":"beat/min","v":71}]""";
            await using (var device = await MqttDevice.ConnectAsync(platform.MqttPort, deviceId, secret))
            {
                await device.PublishReadingsAsync(payload);
                await device.PublishReadingsAsync(payload); // a resend: two duplicates, nothing new to evaluate
            }
            await platform.WaitForEvaluationAsync();

            using var anonymous = new HttpClient { BaseAddress = platform.BaseAddress };
            var text = await anonymous.GetStringAsync("/metrics");

            Assert.Equal(2, Sum(text, "telehealth_gateway_messages_total"));
            Assert.Equal(2, Sum(text, "telehealth_ingest_readings_stored_total"));
            Assert.Equal(2, Sum(text, "telehealth_ingest_readings_duplicates_total"));
            Assert.Equal(2, Sum(text, "telehealth_evaluation_items_total"));
            Assert.Equal(0, Sum(text, "telehealth_evaluation_failures_total"));
            Assert.DoesNotContain("Metrics Person", text, StringComparison.Ordinal);
            Assert.DoesNotContain(patientId, text, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>The sum of a metric over its label sets; 0 when the metric has not been recorded.</summary>
    private static double Sum(string prometheusText, string name) =>
        Sample().Matches(prometheusText)
            .Where(match => match.Groups["name"].Value == name)
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
