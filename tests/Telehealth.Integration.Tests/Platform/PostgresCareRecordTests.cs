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

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
