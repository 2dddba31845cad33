using Telehealth.Simulation;
using Telehealth.Simulation.CommandLine;

namespace Telehealth.Tests.Simulation;

public sealed class DeviceSimArgumentsTests
{
    private static DeviceSimArguments Parse(string line, string? passwordVariable = null) =>
        DeviceSimArguments.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), _ => passwordVariable);

    [Fact]
    public void The_documented_command_line_is_understood()
    {
        var parsed = Parse("--homes 50 --broker 127.0.0.1:1884 --api http://127.0.0.1:5000 --user admin --password SECRET --seed 7 --interval 5 --accelerate 10 --mqtt 3.1.1 --duration 120");

        Assert.Empty(parsed.Problems);
        Assert.Equal(50, parsed.Homes);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), parsed.Api);
        Assert.Equal(("admin", "SECRET"), (parsed.User, parsed.Password));
        Assert.Equal(120, parsed.DurationSeconds);
        var options = parsed.ToSimulationOptions();
        Assert.Equal(("127.0.0.1", 1884), (options.BrokerHost, options.BrokerPort));
        Assert.Equal(MqttProtocolLevel.V311, options.Protocol);
        Assert.Equal(7, options.Seed);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReadingInterval);
        Assert.Equal(10, options.TimeAcceleration);
    }

    [Fact]
    public void A_devices_file_replaces_the_API_and_the_defaults_apply()
    {
        var parsed = Parse("--devices homes.json");

        Assert.Empty(parsed.Problems);
        Assert.Equal("homes.json", parsed.DevicesFile);
        var options = parsed.ToSimulationOptions();
        Assert.Equal(("127.0.0.1", 1883, MqttProtocolLevel.V500, 42), (options.BrokerHost, options.BrokerPort, options.Protocol, options.Seed));
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReadingInterval);
        Assert.Equal(1, options.TimeAcceleration);
        Assert.Null(parsed.DurationSeconds);
    }

    [Fact]
    public void The_password_may_come_from_the_environment() =>
        Assert.Equal("from-env", Parse("--api http://h:1 --user u", passwordVariable: "from-env").Password);

    [Theory]
    [InlineData("--help", 0)]
    [InlineData("--devices f --homes 0", 1)]
    [InlineData("--devices f --broker nohost", 1)]
    [InlineData("--devices f --broker h:99999", 1)]
    [InlineData("--devices f --mqtt 4", 1)]
    [InlineData("--devices f --interval -1 --accelerate x", 2)]
    [InlineData("--devices f --colour blue", 1)]
    [InlineData("--devices f stray", 1)]
    [InlineData("--devices", 4)] // needs a value, and then the API settings are missing
    [InlineData("--api ftp://h --user u --password p", 2)] // not http, so still no API
    [InlineData("", 3)]
    public void Every_problem_is_reported(string line, int expectedProblems) =>
        Assert.Equal(expectedProblems, Parse(line).Problems.Count);
}
