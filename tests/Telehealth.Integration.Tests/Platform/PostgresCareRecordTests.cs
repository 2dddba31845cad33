using System.Net;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The platform with its care record on a real PostgreSQL (Storage:Postgres:ConnectionString) and readings in a real
/// influxd: a device's reading raises an alert that staff see through the API, and a second instance on the same
/// database sees it too. A malformed connection string stops the start with one line naming the setting.
/// </summary>
public sealed class PostgresCareRecordTests(PostgresServer postgres, InfluxServer influx) : IClassFixture<PostgresServer>, IClassFixture<InfluxServer>
{
    [Fact]
    public async Task A_reading_raises_an_alert_in_postgresql_that_a_second_instance_on_the_same_database_sees()
    {
        var connectionString = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName());
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = InfluxServer.NewDatabaseName(),
        };
        await using var first = await TelehealthPlatform.StartAsync(settings);
        using var staff = await first.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Shared Record Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);

        await using (var device = await MqttDevice.ConnectAsync(first.MqttPort, deviceId, secret))
        {
            await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(DateTimeOffset.UtcNow.AddSeconds(-30))}},"n":"spo2","u":"%","v":86}]""");
        }
        await first.SettledAsync();

        // SpO2 86 %: below the critical low, and NEWS2 3 from one parameter (partial: the other vitals are missing).
        var alerts = (await staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray()
            .Select(a => (Id: a.Str("id"), Condition: a.Str("condition"), Severity: a.Str("severity"))).OrderBy(a => a.Condition).ToList();
        Assert.Equal([("news2", "medium"), ("threshold:spo2", "critical")], alerts.Select(a => (a.Condition, a.Severity)));
        Assert.Equal(2L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM alerts"));
        Assert.Equal(2L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM alert_events WHERE type = 'raised'"));
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_queue WHERE done_at_ms IS NULL"));

        // Another instance: its own data folder and process state, the same PostgreSQL database (the admin is shared).
        await using var second = await TelehealthPlatform.StartAsync(settings, adminPassword: first.AdminPassword);
        using var staffOnSecond = await second.CreateStaffClientAsync();
        var seen = (await staffOnSecond.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray().Select(a => a.Str("id")).Order();
        Assert.Equal(alerts.Select(a => a.Id).Order(), seen);
        using var ready = await second.CreateAnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // Each migration recorded once: the second instance found the schema made and applied nothing again.
        Assert.Equal((long)Telehealth.Storage.Postgres.Migrations.PostgresMigrations.Latest, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(11, Telehealth.Storage.Postgres.Migrations.PostgresMigrations.Latest);
    }

    [Fact]
    public async Task With_a_pool_of_one_connection_every_reading_is_stored_evaluated_and_alerted_on_so_no_path_holds_one_connection_while_it_waits_for_another()
    {
        // Maximum Pool Size=1: any code path that kept a connection while asking the pool for another would wait for
        // itself until Timeout (5 s) and fail, leaving readings unacknowledged or unevaluated. The default pool is small
        // (PostgresDatabase.DefaultMaxPoolSize, 4), so this is what makes a small pool safe.
        var connectionString = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName()) + ";Maximum Pool Size=1;Timeout=5";
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = InfluxServer.NewDatabaseName(),
        };
        await using var platform = await TelehealthPlatform.StartAsync(settings);
        using var staff = await platform.CreateStaffClientAsync();
        var people = new List<(string PatientId, string DeviceId, string Secret)>();
        for (var i = 0; i < 4; i++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Pool Person {i}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
            people.Add((patientId, deviceId, secret));
        }
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);

        // Four devices at once, ten messages each of SpO2 and pulse; the last of each is critical (SpO2 84 %).
        await Task.WhenAll(people.Select(async person =>
        {
            await using var device = await MqttDevice.ConnectAsync(platform.MqttPort, person.DeviceId, person.Secret);
            for (var m = 0; m < 10; m++)
            {
                var at = Json.UnixSeconds(start.AddSeconds(30 * m));
                var spo2 = m == 9 ? 84 : 97;
                await device.PublishReadingsAsync($$"""[{"bt":{{at}},"n":"spo2","u":"%","v":{{spo2}}},{"n":"heart_rate","u":"/min","v":72}]""");
            }
        }));
        await platform.SettledAsync();
        // Staff work on the same single connection: take one alert on.
        var critical = (await staff.GetJsonAsync($"/api/alerts?patientId={people[0].PatientId}")).EnumerateArray()
            .Single(a => a.Str("condition") == "threshold:spo2").Str("id");
        (await staff.PostAsync($"/api/alerts/{critical}/acknowledge", null)).EnsureSuccessStatusCode();

        foreach (var person in people)
        {
            Assert.Equal(20, (await staff.GetJsonAsync($"/api/patients/{person.PatientId}/readings")).GetArrayLength());
        }
        Assert.Equal(4L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM alerts WHERE condition_key = 'threshold:spo2'"));
        Assert.Equal(4L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM alert_events WHERE type = 'raised' AND alert_id IN (SELECT id FROM alerts WHERE condition_key = 'threshold:spo2')"));
        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM alert_events WHERE type = 'acknowledged'"));
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_queue"));
        Assert.Equal(80L, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM evaluation_seen"));
        using var ready = await platform.CreateAnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
