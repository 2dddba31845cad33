using System.Globalization;

namespace Telehealth.Simulation.Serial;

/// <summary>The <c>device-sim serial</c> command line; every problem reported, one line each naming its flag.</summary>
public static class SerialSimArguments
{
    public const string Usage = """
        device-sim serial: emulates a serial pulse oximeter byte for byte on a serial port (e.g. one end of a socat pty pair).

        Usage:
          device-sim serial --port PATH --format nonin8|cms50-legacy|cms50-v46|masimo [options]

        Options:
          --scenario NAME     normal, desaturation, finger-out, probe-error, missing-values, low-battery (default normal)
          --speed X           scenario seconds per real second (default 1: the device's real cadence)
          --seconds N         stop after N scenario seconds (default: until Ctrl+C)
          --start-second N    first scenario second to play (default 0)
          --corrupt P         chance per frame of one flipped bit (0–1, default 0)
          --truncate P        chance per frame of sending only its start (0–1, default 0)
          --garbage P         chance per frame of random bytes before it (0–1, default 0)
          --seed N            seed of the fault injection (default 42)
          --help              show this text
        """;

    public static (SerialEmulatorOptions? Options, IReadOnlyList<string> Problems, bool ShowHelp) Parse(IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        string? port = null;
        SerialDeviceFormat? format = null;
        var scenario = SerialScenario.Normal;
        double speed = 1, corrupt = 0, truncate = 0, garbage = 0;
        int? seconds = null;
        int startSecond = 0, seed = 42;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return (null, [], true);
            }
            if (i + 1 >= args.Count)
            {
                problems.Add(name.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value." : $"Unexpected argument '{name}'.");
                break;
            }
            var value = args[++i];
            switch (name)
            {
                case "--port":
                    port = value;
                    break;
                case "--format":
                    if (SerialFrameEncoder.TryParseFormat(value, out var parsedFormat))
                    {
                        format = parsedFormat;
                    }
                    else
                    {
                        problems.Add($"--format must be one of {string.Join(", ", SerialFrameEncoder.FormatNames)}, got '{value}'.");
                    }
                    break;
                case "--scenario":
                    if (!SerialScenarios.TryParse(value, out scenario))
                    {
                        problems.Add($"--scenario must be one of {string.Join(", ", SerialScenarios.Names)}, got '{value}'.");
                    }
                    break;
                case "--speed":
                    speed = Number(name, value, 0.001, 10_000, problems) ?? speed;
                    break;
                case "--seconds":
                    seconds = (int?)Number(name, value, 1, int.MaxValue, problems);
                    break;
                case "--start-second":
                    startSecond = (int?)Number(name, value, 0, int.MaxValue, problems) ?? 0;
                    break;
                case "--corrupt":
                    corrupt = Number(name, value, 0, 1, problems) ?? 0;
                    break;
                case "--truncate":
                    truncate = Number(name, value, 0, 1, problems) ?? 0;
                    break;
                case "--garbage":
                    garbage = Number(name, value, 0, 1, problems) ?? 0;
                    break;
                case "--seed":
                    seed = (int?)Number(name, value, int.MinValue, int.MaxValue, problems) ?? seed;
                    break;
                default:
                    problems.Add(name.StartsWith("--", StringComparison.Ordinal) ? $"Unknown option '{name}'." : $"Unexpected argument '{name}'.");
                    i--;
                    break;
            }
        }
        if (string.IsNullOrEmpty(port))
        {
            problems.Add("--port is required.");
        }
        if (format is null && !problems.Any(p => p.StartsWith("--format", StringComparison.Ordinal)))
        {
            problems.Add("--format is required.");
        }
        if (problems.Count > 0)
        {
            return (null, problems, false);
        }
        return (new SerialEmulatorOptions
        {
            PortPath = port!,
            Format = format!.Value,
            Scenario = scenario,
            Speed = speed,
            Seconds = seconds,
            StartSecond = startSecond,
            Faults = new SerialFaults { Corrupt = corrupt, Truncate = truncate, Garbage = garbage },
            Seed = seed,
        }, [], false);
    }

    private static double? Number(string name, string value, double min, double max, List<string> problems)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        problems.Add($"{name} must be a number from {min} to {max}, got '{value}'.");
        return null;
    }
}
