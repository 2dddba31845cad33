using MQTTnet;
using Npgsql;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Durability;

/// <summary>
/// The care record on PostgreSQL, readings in InfluxDB: the real platform process is killed (SIGKILL, by itself) after
/// the InfluxDB write and before the care record's commit of the batch, the one window where the two disagree. InfluxDB
/// then holds the point while the care record knows nothing of it and the device has no PUBACK; the process is started
/// again and the device sends the same message: the reading is stored once, evaluated once, each alert raised once.
/// </summary>
[Trait("Hazard", "H1")]
[Trait("Hazard", "H2")]
public sealed class PostgresInfluxCrashRecoveryTests(PostgresServer postgres, InfluxServer influx) : IClassFixture<PostgresServer>, IClassFixture<InfluxServer>
{
    [Fact]
    public async Task A_crash_between_the_influxdb_write_and_the_care_records_commit_ends_with_the_reading_stored_once_and_each_alert_raised_once()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-crash-" + Guid.NewGuid().ToString("N"));
        var password = "crash-" + Guid.NewGuid().ToString("N");
        var connectionString = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName("crash"));
        var database = InfluxServer.NewDatabaseName("crash");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = database,
        };
        var (httpPort, mqttPort) = (FreePort.Next(), FreePort.Next());
        var measuredAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());
        var payload = $$"""[{"bt":{{Json.UnixSeconds(measuredAt)}},"n":"spo2","u":"%","v":85}]""";
        string patientId, deviceId, secret;
        try
        {
            await using (var first = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, CrashPoints.StoredNotAdmitted, settings))
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
                    // The process died before acknowledging: the device saw no PUBACK.
                }
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
                Assert.True(first.HasExited, first.OutputTail);
                Assert.Contains($"crash point {CrashPoints.StoredNotAdmitted} reached", first.OutputTail);
                try
                {
                    await device.DisposeAsync();
                }
                catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
                {
                    // The broker is gone with the process.
                }
            }

            // The window: InfluxDB has the point, the care record has neither its identity nor anything to evaluate.
            var left = await influx.QueryAsync(database, $"SELECT \"value\" FROM \"vital_reading\" WHERE \"device_id\" = '{deviceId}'");
            Assert.Equal(85.0, Assert.Single(left[0].GetProperty("values").EnumerateArray())[1].GetDouble());
            Assert.Equal((0L, 0L), (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_seen WHERE item_kind = 'reading'"),
                await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_queue WHERE item_kind IN ('reading', 'readings')")));

            await using var second = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, settings: settings);
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
            var events = (await staffAgain.GetJsonAsync("/api/alerts/events?after=0")).EnumerateArray().ToArray();
            Assert.Equal(["raised", "raised"], events.Select(e => e.Str("eventType")));
            Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_seen WHERE item_kind = 'reading'"));
            // The shipped settings log the alerts (ids) and not each request to InfluxDB (four lines a write, with its
            // address): the process wrote to InfluxDB and read from it above.
            Assert.Contains(": Raised (", second.OutputTail);
            Assert.DoesNotContain("System.Net.Http.HttpClient", second.OutputTail);
        }
        finally
        {
            await influx.DropDatabaseAsync(database);
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

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
