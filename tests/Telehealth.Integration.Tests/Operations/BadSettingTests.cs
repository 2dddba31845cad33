using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Operations;

/// <summary>
/// A wrong setting stops the real process at start with exit code 2 and one line on stderr naming the setting —
/// never a stack trace, never a process that starts and then answers 500 to everything.
/// </summary>
public sealed class BadSettingTests
{
    [Theory]
    [InlineData("--Mqtt:Mode=Bogus", "Invalid setting Mqtt:Mode: 'Bogus' is not a valid MqttMode (one of: Embedded, External, NatsJetStream).")]
    [InlineData("--Mqtt:Nats:AckWait=00:00:00.500", "Invalid setting: Mqtt:Nats:AckWait: The field AckWait must be between 00:00:01 and 00:10:00.")]
    [InlineData("--Mqtt:Nats:Url=http://127.0.0.1:4222", "Invalid setting: Mqtt:Nats:Url: 'http://127.0.0.1:4222' is not a nats:// or tls:// URL with a port.")]
    [InlineData("--Evaluation:PollInterval=banana", "Invalid setting Evaluation:PollInterval: 'banana' is not a valid TimeSpan (for example 00:00:30).")]
    [InlineData("--Instances:TakeOverFromDeadLocalHolders=maybe", "Invalid setting Instances:TakeOverFromDeadLocalHolders: 'maybe' is not a valid Boolean (true or false).")]
    [InlineData("--Urls=http://127.0.0.1:99999", "Invalid setting: Urls: 'http://127.0.0.1:99999' has a port that is not a number from 0 to 65535.")]
    [InlineData("--Urls=http://256.1.1.1:80", "Invalid setting: Urls: 'http://256.1.1.1:80' has a host that is not an IP address, localhost, * or + (Kestrel would listen on every interface).")]
    [InlineData("--Urls=ftp://127.0.0.1:80", "Invalid setting: Urls: 'ftp://127.0.0.1:80' must start with http:// or https://.")]
    [InlineData("--Auth:SigningKey=YWJj", "Invalid setting: Auth:SigningKey must be at least 32 bytes; it is 3.")]
    [InlineData("--Auth:SigningKey=not*base64", "Invalid setting: Auth:SigningKey must be base64 (for example `openssl rand -base64 48`).")]
    [InlineData("--Fhir:Server=not a url", "Invalid setting: Fhir:Server must be an absolute http(s) URL, or empty to turn pushing off.")]
    [InlineData("--Evaluation:StallAfter=00:00:01", "Invalid setting: Evaluation:StallAfter must be between 5 seconds and 1 day.")]
    [InlineData("--Evaluation:Parallelism=0", "Invalid setting: Evaluation:Parallelism must be between 1 and 64.")]
    [InlineData("--Storage:DeliveredOutboxRetention=00:10:00", "Invalid setting: Storage:DeliveredOutboxRetention must be between 1 hour and 3650 days.")]
    [InlineData("--Storage:ReadingRetention=30.00:00:00", "Invalid setting: Storage:ReadingRetention must be between 400 days and 100 years.")]
    [InlineData("--Realtime:Redis=,,,", "Invalid setting: Realtime:Redis must be a Redis configuration naming a server, e.g. 'redis:6379' (it was not understood).")]
    [InlineData("--Fhir:BatchSize=0", "Invalid setting: Fhir:BatchSize: The field BatchSize must be between 1 and 10000.")]
    [InlineData("--Fhir:MaxConcurrentPushes=65", "Invalid setting: Fhir:MaxConcurrentPushes: The field MaxConcurrentPushes must be between 1 and 64.")]
    [InlineData("--Storage:Influx:Url=ftp://influx:8086", "Invalid setting: Storage:Influx:Url must be an absolute http or https address.")]
    [InlineData("--Storage:Postgres:ConnectionString=Hots=db;Database=telehealth", "Invalid setting: Storage:Postgres:ConnectionString is not a valid PostgreSQL connection string (Couldn't set hots (Parameter 'hots')).")]
    [InlineData("--Storage:Postgres:ConnectionString=Database=telehealth", "Invalid setting: Storage:Postgres:ConnectionString must name a Host (for example Host=db;Database=telehealth;Username=telehealth;Password=…).")]
    [InlineData("--Storage:Postgres:ConnectionString=Host=127.0.0.1;Database=telehealth", "Invalid setting: Storage:Postgres:ConnectionString needs Storage:Influx:Url: with a shared PostgreSQL care record, readings are kept in InfluxDB.")]
    [InlineData("--Instances:LeaseDuration=00:00:00.500", "Invalid setting: Instances:LeaseDuration must be between 1 second and 5 minutes.")]
    [InlineData("--Realtime:ChannelPrefix=Tele Health", "Invalid setting: Realtime:ChannelPrefix must be 1–40 lowercase letters, digits or '-'.")]
    public async Task A_wrong_setting_stops_the_process_with_one_line_naming_it(string setting, string expectedLine)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-badsetting-" + Guid.NewGuid().ToString("N"));
        var host = Path.Combine(AppContext.BaseDirectory, "Telehealth.Clinician.Web.dll");
        await using var process = ManagedProcess.Start("dotnet", [
            host, "--Urls", "http://127.0.0.1:0", "--Mqtt:Embedded:Port", "0", "--Storage:DataDirectory", dataDirectory, setting,
        ], workingDirectory: AppContext.BaseDirectory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.Equal(2, process.ExitCode);
        var errors = process.OutputTail.Split(Environment.NewLine).Where(line => line.StartsWith("[err] ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["[err] " + expectedLine], errors);
        Assert.DoesNotContain("   at ", process.OutputTail, StringComparison.Ordinal);
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
