using System.Globalization;

namespace Telehealth.Simulation.CommandLine;

/// <summary>The device-sim command line, parsed by hand (System.CommandLine is not in our registry).</summary>
public sealed record DeviceSimArguments
{
    /// <summary>Read when --password is absent, so the password need not sit in shell history.</summary>
    public const string PasswordVariable = "TELEHEALTH_API_PASSWORD";

    public const string Usage = """
        device-sim: simulated telehealth homes publishing device API v1 over MQTT.

        Usage:
          device-sim --homes N --api URL --user NAME --password SECRET [options]
          device-sim --devices FILE [options]
          device-sim serial --port PATH --format FORMAT [options]   (one serial oximeter; device-sim serial --help)

        Provisioning (one of):
          --homes N             homes to create through the platform API (default 10)
          --api URL             platform base address, e.g. http://127.0.0.1:5000
          --user NAME           API user
          --password SECRET     API password (or set TELEHEALTH_API_PASSWORD)
          --save FILE           after provisioning, write the credentials to FILE for --devices
          --devices FILE        use pre-provisioned credentials from FILE instead of the API

        Options:
          --broker HOST:PORT    MQTT broker (default 127.0.0.1:1883)
          --mqtt 5|3.1.1        MQTT protocol version (default 5)
          --seed N              seed of the caseload and readings (default 42)
          --interval SECONDS    seconds between readings (default 10)
          --heartbeat SECONDS   seconds between status heartbeats (default 60)
          --accelerate X        scenario seconds per real second (default 1)
          --duration SECONDS    stop after this long (default: until Ctrl+C)
          --help                show this text
        """;

    public int Homes { get; init; } = 10;
    public Uri? Api { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public string? DevicesFile { get; init; }
    public string? SaveFile { get; init; }
    public string BrokerHost { get; init; } = "127.0.0.1";
    public int BrokerPort { get; init; } = 1883;
    public MqttProtocolLevel Protocol { get; init; } = MqttProtocolLevel.V500;
    public int Seed { get; init; } = 42;
    public double IntervalSeconds { get; init; } = 10;
    public double HeartbeatSeconds { get; init; } = 60;
    public double Accelerate { get; init; } = 1;
    public double? DurationSeconds { get; init; }
    public bool ShowHelp { get; init; }

    /// <summary>Every problem found, not only the first; empty when the arguments are usable.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public SimulationOptions ToSimulationOptions() => new()
    {
        BrokerHost = BrokerHost,
        BrokerPort = BrokerPort,
        Protocol = Protocol,
        Seed = Seed,
        ReadingInterval = TimeSpan.FromSeconds(IntervalSeconds),
        HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatSeconds),
        TimeAcceleration = Accelerate,
    };

    public static DeviceSimArguments Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();
        var parsed = new DeviceSimArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h" or "-?")
            {
                parsed = parsed with { ShowHelp = true };
                continue;
            }
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"Unexpected argument '{name}'.");
                continue;
            }
            if (i + 1 >= args.Count)
            {
                problems.Add($"{name} needs a value.");
                break;
            }
            var value = args[++i];
            parsed = name switch
            {
                "--homes" => parsed with { Homes = Integer(name, value, 1, 100_000, problems) ?? parsed.Homes },
                "--api" => parsed with { Api = AbsoluteUri(name, value, problems) },
                "--user" => parsed with { User = value },
                "--password" => parsed with { Password = value },
                "--devices" => parsed with { DevicesFile = value },
                "--save" => parsed with { SaveFile = value },
                "--broker" => WithBroker(parsed, value, problems),
                "--mqtt" => WithProtocol(parsed, value, problems),
                "--seed" => parsed with { Seed = Integer(name, value, int.MinValue, int.MaxValue, problems) ?? parsed.Seed },
                "--interval" => parsed with { IntervalSeconds = Positive(name, value, problems) ?? parsed.IntervalSeconds },
                "--heartbeat" => parsed with { HeartbeatSeconds = Positive(name, value, problems) ?? parsed.HeartbeatSeconds },
                "--accelerate" => parsed with { Accelerate = Positive(name, value, problems) ?? parsed.Accelerate },
                "--duration" => parsed with { DurationSeconds = Positive(name, value, problems) },
                _ => Unknown(parsed, name, problems),
            };
        }

        parsed = parsed with { Password = parsed.Password ?? environment(PasswordVariable) };
        if (!parsed.ShowHelp && parsed.DevicesFile is null)
        {
            if (parsed.Api is null)
            {
                problems.Add("--api is required unless --devices is given.");
            }
            if (string.IsNullOrEmpty(parsed.User))
            {
                problems.Add("--user is required unless --devices is given.");
            }
            if (string.IsNullOrEmpty(parsed.Password))
            {
                problems.Add($"--password (or {PasswordVariable}) is required unless --devices is given.");
            }
        }
        return parsed with { Problems = problems };
    }

    private static DeviceSimArguments Unknown(DeviceSimArguments parsed, string name, List<string> problems)
    {
        problems.Add($"Unknown option '{name}'.");
        return parsed;
    }

    private static DeviceSimArguments WithBroker(DeviceSimArguments parsed, string value, List<string> problems)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0)
        {
            problems.Add($"--broker must be HOST:PORT, got '{value}'.");
            return parsed;
        }
        var port = Integer("--broker port", value[(colon + 1)..], 1, 65535, problems);
        return port is null ? parsed : parsed with { BrokerHost = value[..colon].Trim('[', ']'), BrokerPort = port.Value };
    }

    private static DeviceSimArguments WithProtocol(DeviceSimArguments parsed, string value, List<string> problems)
    {
        switch (value)
        {
            case "5" or "5.0":
                return parsed with { Protocol = MqttProtocolLevel.V500 };
            case "3.1.1" or "3":
                return parsed with { Protocol = MqttProtocolLevel.V311 };
            default:
                problems.Add($"--mqtt must be 5 or 3.1.1, got '{value}'.");
                return parsed;
        }
    }

    private static int? Integer(string name, string value, int min, int max, List<string> problems)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        problems.Add($"{name} must be a whole number from {min} to {max}, got '{value}'.");
        return null;
    }

    private static double? Positive(string name, string value, List<string> problems)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number))
        {
            return number;
        }
        problems.Add($"{name} must be a positive number, got '{value}'.");
        return null;
    }

    private static Uri? AbsoluteUri(string name, string value, List<string> problems)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        problems.Add($"{name} must be an http(s) address, got '{value}'.");
        return null;
    }
}
