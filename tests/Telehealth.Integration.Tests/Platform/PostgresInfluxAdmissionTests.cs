using System.Text;
using Npgsql;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The care record on a real PostgreSQL, readings in a real influxd: the care record admits each batch before the
/// InfluxDB write and InfluxDB is asked "stored already?" only about what the care record cannot vouch for. Seen from
/// a device: a record InfluxDB drops is refused visibly at each delivery; a second value for a stored reading is a
/// visible conflict and the first stays; a point a delivery that was never acknowledged left behind is replaced by the
/// redelivery, which is evaluated once; and a reading from before what the care record vouches for is still checked
/// against InfluxDB.
/// </summary>
[Trait("Hazard", "H1")]
public sealed class PostgresInfluxAdmissionTests(PostgresServer postgres, InfluxServer influx) : IClassFixture<PostgresServer>, IClassFixture<InfluxServer>
{
    [Fact]
    public async Task Refusals_conflicts_and_points_left_by_unacknowledged_deliveries_are_each_handled_as_a_device_and_a_clinician_expect()
    {
        var connectionString = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName("admission"));
        var database = InfluxServer.NewDatabaseName("admission");
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = database,
            ["Storage:Influx:RawRetentionPolicy"] = "raw",
            ["Storage:Influx:RawRetention"] = "01:00:00",
        });
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Admission Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(platform, deviceId, secret);
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var (t1, t2, t3) = (now.AddMinutes(-3), now.AddMinutes(-2), now.AddMinutes(-1));
        string Spo2(DateTimeOffset at, int value) => $$"""{"bt":{{Json.UnixSeconds(at)}},"n":"spo2","u":"%","v":{{value}}}""";

        // A record older than the raw retention policy: InfluxDB drops it at each delivery, the other is stored once.
        var partial = $"[{Spo2(now.AddDays(-2), 97)},{Spo2(t1, 96)}]";
        await device.PublishReadingsAsync(partial);
        await device.PublishReadingsAsync(partial);
        // A second value for the stored reading: refused as a conflict, the first value stays.
        await device.PublishReadingsAsync($"[{Spo2(t1, 80)}]");
        // A point at t2 left by a delivery that was never acknowledged (its instance died before the care record's
        // commit): the redelivery, critically low, replaces it and is evaluated.
        await WritePointAsync(database, new Reading(deviceId, patientId, VitalKind.Spo2, 99, t2, t2));
        await device.PublishReadingsAsync($"[{Spo2(t2, 85)}]");
        // Before what the care record vouches for (as after pruning, or on a database upgraded with data), InfluxDB is
        // asked: its point at t3 differs, so the delivery is a conflict and the point stays.
        await ExecuteAsync(connectionString, $"UPDATE evaluation_seen_horizon SET kept_from_ms = {now.ToUnixTimeMilliseconds()}");
        await WritePointAsync(database, new Reading(deviceId, patientId, VitalKind.Spo2, 99, t3, t3));
        await device.PublishReadingsAsync($"[{Spo2(t3, 84)}]");
        await platform.SettledAsync();

        var readings = await staff.GetJsonAsync($"/api/patients/{patientId}/readings");
        Assert.Equal([96.0, 85.0, 99.0], readings.EnumerateArray().Select(r => r.GetProperty("value").GetDouble()));
        var refused = (await staff.GetJsonAsync($"/api/rejections?deviceId={deviceId}&reason=store_refused")).GetProperty("items").GetArrayLength();
        var conflicts = (await staff.GetJsonAsync($"/api/rejections?deviceId={deviceId}&reason=conflicting_duplicate")).GetProperty("items").GetArrayLength();
        Assert.Equal((2, 2), (refused, conflicts));
        // Evaluated: 96 % (nothing) and the 85 % that replaced the left-behind point (critical, and NEWS2 3), once each.
        var alerts = (await staff.GetJsonAsync($"/api/alerts?patientId={patientId}&status=all")).EnumerateArray().ToList();
        Assert.Equal(["news2", "threshold:spo2"], alerts.Select(a => a.Str("condition")).Order());
        Assert.All(alerts, a => Assert.Equal(1, a.GetProperty("occurrences").GetInt32()));
        // The care record keeps the identities it queued (t1, t2); the refused and the conflicting ones are forgotten.
        Assert.Equal(2L, await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM evaluation_seen WHERE device_id = '{deviceId}'"));
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_queue"));
        await influx.DropDatabaseAsync(database);
    }

    private async Task WritePointAsync(string database, Reading reading)
    {
        using var http = new HttpClient();
        using var body = new StringContent(InfluxLineProtocolWriter.Format([reading]), Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri(influx.Url, $"write?db={database}&rp=raw&precision=ms"), body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
