using System.Net;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// <c>/health/ready</c> tells the truth about the shared care record: it answers 503 (care_record_unreachable) while
/// PostgreSQL is down, while <c>/health</c> (the process is alive) stays 200. Its own server, because the test stops it.
/// </summary>
public sealed class PostgresReadinessTests(PostgresServer postgres, InfluxServer influx) : IClassFixture<PostgresServer>, IClassFixture<InfluxServer>
{
    [Fact]
    public async Task Readiness_fails_while_postgresql_is_unreachable_and_liveness_does_not()
    {
        await using var platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName()),
            ["Storage:Influx:Url"] = influx.Url.ToString(),
            ["Storage:Influx:Database"] = InfluxServer.NewDatabaseName(),
        });
        using var client = platform.CreateAnonymousClient();
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.NotNull(postgres.Process); // a local server process (a container has no process of ours to stop)
        await postgres.Process.StopAsync(graceful: false);

        using var unready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Contains("\"care_record_unreachable\"", await unready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var alive = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
