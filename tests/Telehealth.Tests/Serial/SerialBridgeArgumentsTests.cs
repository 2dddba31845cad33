using MQTTnet.Formatter;
using Telehealth.Gateway.Serial;

namespace Telehealth.Tests.Serial;

public sealed class SerialBridgeArgumentsTests
{
    private static readonly string[] Fixed =
        ["--port", "/dev/ttyUSB0", "--format", "nonin8", "--device", "dev-1", "--secret", "s3cret", "--broker", "127.0.0.1:1883"];

    private static (SerialBridgeOptions? Options, IReadOnlyList<string> Problems, bool ShowHelp) Parse(params string[] args) =>
        SerialBridgeArguments.Parse(args, _ => null);

    [Fact]
    public void The_fixed_command_gives_the_documented_defaults()
    {
        var (options, problems, _) = Parse(Fixed);

        Assert.Empty(problems);
        Assert.NotNull(options);
        Assert.Equal(("/dev/ttyUSB0", SerialFormat.Nonin8, "dev-1", "s3cret"), (options.PortPath, options.Format, options.DeviceId, options.Secret));
        Assert.Equal(("127.0.0.1", 1883), (options.BrokerHost, options.BrokerPort));
        Assert.Equal("dev-1-serial", options.EffectiveClientId);
        Assert.Equal(MqttProtocolVersion.V500, options.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Aggregation.Window);
        Assert.Equal("serial-spool", options.SpoolDirectory);
    }

    [Theory]
    [InlineData("nonin8", SerialFormat.Nonin8)]
    [InlineData("cms50-legacy", SerialFormat.Cms50Legacy)]
    [InlineData("cms50-v46", SerialFormat.Cms50V46)]
    [InlineData("masimo", SerialFormat.Masimo)]
    public void Every_format_name_is_accepted(string name, SerialFormat format)
    {
        var args = Fixed.ToArray();
        args[3] = name;

        Assert.Equal(format, Parse(args).Options!.Format);
    }

    [Fact]
    public void Our_own_flags_are_read()
    {
        var (options, problems, _) = Parse([.. Fixed, "--window", "500ms", "--min-samples", "3", "--min-valid-fraction", "0.5",
            "--max-spo2-spread", "2", "--max-pulse-spread", "9", "--spool-dir", "/tmp/s", "--client-id", "dev-1-bedroom",
            "--protocol", "3.1.1", "--reconnect-max", "2s", "--reopen-max", "1s"]);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options!.Aggregation.Window);
        Assert.Equal((3, 0.5, 2, 9), (options.Aggregation.MinValidSamples, options.Aggregation.MinValidFraction, options.Aggregation.MaxSpo2Spread, options.Aggregation.MaxPulseSpread));
        Assert.Equal(("/tmp/s", "dev-1-bedroom", MqttProtocolVersion.V311), (options.SpoolDirectory, options.EffectiveClientId, options.Protocol));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), (options.ReconnectMaxDelay, options.ReopenMaxDelay));
    }

    [Fact]
    public void A_secret_that_starts_with_dashes_is_a_value_not_a_flag()
    {
        var args = Fixed.ToArray();
        args[7] = "--Zx_9";

        Assert.Equal("--Zx_9", Parse(args).Options!.Secret);
    }

    [Theory]
    [InlineData("--baud", "9600", "Unknown option '--baud'.")]
    [InlineData("--format", "nonin2", "--format must be one of nonin8, cms50-legacy, cms50-v46, masimo, got 'nonin2'.")]
    [InlineData("--broker", "localhost", "--broker must be HOST:PORT with a port from 1 to 65535, got 'localhost'.")]
    [InlineData("--broker", "localhost:70000", "--broker must be HOST:PORT with a port from 1 to 65535, got 'localhost:70000'.")]
    [InlineData("--window", "soon", "--window must be a duration such as 30s, 500ms or 2m, got 'soon'.")]
    [InlineData("--window", "2h", "--window must be from 100ms to 1h, got 02:00:00.")]
    [InlineData("--protocol", "4", "--protocol must be 5 or 3.1.1, got '4'.")]
    [InlineData("--client-id", "someone-else", "--client-id must be the device id or start with 'dev-1-', got 'someone-else'.")]
    [InlineData("--min-samples", "many", "--min-samples must be a whole number, got 'many'.")]
    public void A_wrong_flag_gives_one_line_naming_it(string flag, string value, string problem)
    {
        var args = Fixed.ToList();
        var at = args.IndexOf(flag);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }

        var (options, problems, _) = Parse([.. args]);

        Assert.Null(options);
        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Missing_fixed_flags_are_each_named()
    {
        var (options, problems, _) = Parse();

        Assert.Null(options);
        Assert.Equal(["--port is required.", "--format is required.", "--device is required.", "--secret (or TELEHEALTH_DEVICE_SECRET) is required.", "--broker is required."], problems);
    }

    [Fact]
    public void The_secret_may_come_from_the_environment()
    {
        var args = Fixed.Where((_, i) => i is not (6 or 7)).ToArray();

        var (options, _, _) = SerialBridgeArguments.Parse(args, name => name == SerialBridgeArguments.SecretVariable ? "from-env" : null);

        Assert.Equal("from-env", options!.Secret);
    }
}
