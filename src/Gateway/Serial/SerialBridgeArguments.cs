using System.Globalization;
using MQTTnet.Formatter;
using Telehealth.Gateway.Serial.Aggregation;

namespace Telehealth.Gateway.Serial;

/// <summary>
/// The <c>serial</c> command line. The first five flags are fixed (outside scripts rely on them); the rest are ours.
/// Every problem is reported, one line each naming its flag.
/// </summary>
public static class SerialBridgeArguments
{
    /// <summary>Read when --secret is absent, so the secret need not sit in shell history.</summary>
    public const string SecretVariable = "TELEHEALTH_DEVICE_SECRET";

    public const string Usage = """
        Telehealth serial bridge: reads a pulse oximeter on a serial port and publishes readings over MQTT with the device's own credentials.

        Usage:
          dotnet run --project src/Gateway -- serial --port PATH --format nonin8|cms50-legacy|cms50-v46|masimo --device DEVICE_ID --secret SECRET --broker HOST:PORT [options]

        Options:
          --window DURATION          window of each reading, e.g. 30s, 500ms, 2m (default 30s)
          --min-samples N            fewest valid samples for a reading (default 20)
          --min-valid-fraction F     share of a window's samples that must be valid (default 0.7)
          --max-spo2-spread N        largest SpO2 spread, 10th–90th percentile, in % points (default 4)
          --max-pulse-spread N       largest pulse spread, 10th–90th percentile, in beat/min (default 15)
          --spool-dir PATH           folder of the on-disk spool (default ./serial-spool)
          --client-id ID             MQTT client id: the device id or starting with it and '-' (default DEVICE_ID-serial)
          --protocol 5|3.1.1         MQTT protocol version (default 5)
          --reconnect-max DURATION   longest wait between broker reconnects (default 15s)
          --reopen-max DURATION      longest wait between attempts to reopen a lost port (default 5s)
          --help                     show this text
        The secret may come from TELEHEALTH_DEVICE_SECRET instead of --secret.
        """;

    public static (SerialBridgeOptions? Options, IReadOnlyList<string> Problems, bool ShowHelp) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return (null, [], true);
            }
            if (!Known.Contains(name))
            {
                if (!name.StartsWith("--", StringComparison.Ordinal))
                {
                    problems.Add($"Unexpected argument '{name}'.");
                    continue;
                }
                problems.Add($"Unknown option '{name}'.");
                // Its value, if it has one, is part of the same mistake: one line for it is enough.
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++;
                }
                continue;
            }
            // The next argument is the value even when it starts with '-': device secrets are base64url.
            if (i + 1 >= args.Count)
            {
                problems.Add($"{name} needs a value.");
                continue;
            }
            values[name] = args[++i];
        }

        string? Required(string name)
        {
            if (values.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }
            problems.Add($"{name} is required.");
            return null;
        }

        var port = Required("--port");
        var formatName = Required("--format");
        var format = SerialFormat.Nonin8;
        if (formatName is not null && !SerialFormats.TryParse(formatName, out format))
        {
            problems.Add($"--format must be one of {string.Join(", ", SerialFormats.Names)}, got '{formatName}'.");
        }
        var deviceId = Required("--device");
        var secret = values.GetValueOrDefault("--secret") ?? environment(SecretVariable);
        if (string.IsNullOrEmpty(secret))
        {
            problems.Add($"--secret (or {SecretVariable}) is required.");
        }
        var (host, brokerPort) = Broker(Required("--broker"), problems);

        var defaults = new StableWindowOptions();
        var aggregation = new StableWindowOptions
        {
            Window = Duration(values, "--window", defaults.Window, problems),
            MinValidSamples = Integer(values, "--min-samples", defaults.MinValidSamples, problems),
            MinValidFraction = Number(values, "--min-valid-fraction", defaults.MinValidFraction, problems),
            MaxSpo2Spread = Integer(values, "--max-spo2-spread", defaults.MaxSpo2Spread, problems),
            MaxPulseSpread = Integer(values, "--max-pulse-spread", defaults.MaxPulseSpread, problems),
        };
        problems.AddRange(aggregation.Validate());

        var clientId = values.GetValueOrDefault("--client-id");
        if (clientId is not null && deviceId is not null && clientId != deviceId && !clientId.StartsWith(deviceId + "-", StringComparison.Ordinal))
        {
            problems.Add($"--client-id must be the device id or start with '{deviceId}-', got '{clientId}'.");
        }
        var protocol = MqttProtocolVersion.V500;
        if (values.TryGetValue("--protocol", out var protocolText))
        {
            protocol = protocolText switch
            {
                "5" or "5.0" => MqttProtocolVersion.V500,
                "3.1.1" => MqttProtocolVersion.V311,
                _ => Problem(problems, $"--protocol must be 5 or 3.1.1, got '{protocolText}'.", MqttProtocolVersion.V500),
            };
        }
        var reconnectMax = Duration(values, "--reconnect-max", TimeSpan.FromSeconds(15), problems);
        var reopenMax = Duration(values, "--reopen-max", TimeSpan.FromSeconds(5), problems);

        if (problems.Count > 0)
        {
            return (null, problems, false);
        }
        return (new SerialBridgeOptions
        {
            PortPath = port!,
            Format = format,
            DeviceId = deviceId!,
            Secret = secret!,
            BrokerHost = host!,
            BrokerPort = brokerPort,
            ClientId = clientId,
            Protocol = protocol,
            SpoolDirectory = values.GetValueOrDefault("--spool-dir") ?? "serial-spool",
            Aggregation = aggregation,
            ReconnectMaxDelay = reconnectMax,
            ReopenMaxDelay = reopenMax,
        }, [], false);
    }

    private static readonly HashSet<string> Known =
    [
        "--port", "--format", "--device", "--secret", "--broker", "--window", "--min-samples", "--min-valid-fraction",
        "--max-spo2-spread", "--max-pulse-spread", "--spool-dir", "--client-id", "--protocol", "--reconnect-max", "--reopen-max",
    ];

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }

    private static (string? Host, int Port) Broker(string? value, List<string> problems)
    {
        if (value is null)
        {
            return (null, 0);
        }
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problems.Add($"--broker must be HOST:PORT with a port from 1 to 65535, got '{value}'.");
            return (null, 0);
        }
        return (value[..colon].Trim('[', ']'), port);
    }

    /// <summary>30s, 500ms, 2m, 1h, or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    private static TimeSpan Duration(Dictionary<string, string> values, string name, TimeSpan fallback, List<string> problems)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return TryParseDuration(text, out var duration)
            ? duration
            : Problem(problems, $"{name} must be a duration such as 30s, 500ms or 2m, got '{text}'.", fallback);
    }

    private static int Integer(Dictionary<string, string> values, string name, int fallback, List<string> problems)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : Problem(problems, $"{name} must be a whole number, got '{text}'.", fallback);
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback, List<string> problems)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : Problem(problems, $"{name} must be a number, got '{text}'.", fallback);
    }
}
