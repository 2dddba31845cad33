using System.Globalization;

namespace Telehealth.Bench.BrokerCrash;

/// <summary><c>broker-crash [readings inFlight brokers]</c>: runs each broker in both scenarios and prints a Markdown table.</summary>
internal static class BrokerCrashCommand
{
    private static readonly Dictionary<string, Func<CrashableBroker>> Brokers = new(StringComparer.Ordinal)
    {
        ["mosquitto-1800"] = () => new MosquittoCrashBroker(1800, autosaveOnChanges: false),
        ["mosquitto-1"] = () => new MosquittoCrashBroker(1, autosaveOnChanges: false),
        ["mosquitto-changes"] = () => new MosquittoCrashBroker(1, autosaveOnChanges: true),
        ["rabbitmq"] = () => new RabbitMqCrashBroker(),
        ["nats"] = () => new NatsCrashBroker(),
    };

    /// <summary><c>broker-fit [brokers]</c>: which brokers the platform's ingress can use (MQTT 5, $share).</summary>
    public static async Task FitAsync(string[] args)
    {
        var names = args.Length > 0 ? args[0].Split(',') : [.. Brokers.Keys.Where(k => k is "mosquitto-1800" or "rabbitmq" or "nats")];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        foreach (var name in names)
        {
            Console.WriteLine(await BrokerFitCheck.RunAsync(Brokers[name], cancel.Token));
        }
    }

    public static async Task RunAsync(string[] args)
    {
        var readings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var inFlight = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var names = args.Length > 2 ? args[2].Split(',') : [.. Brokers.Keys];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        Console.WriteLine($"Broker SIGKILL at half of {readings} QoS 1 readings acknowledged, {inFlight} in flight; load average before: {LoadAverage()}");
        Console.WriteLine(BrokerCrashBenchmark.Header);
        // Scenarios: (online, fresh session). "fresh" only when asked (BROKER_CRASH_FRESH=1): it measures session durability.
        (bool Online, bool Fresh)[] scenarios = Environment.GetEnvironmentVariable("BROKER_CRASH_FRESH") == "1"
            ? [(false, true)]
            : [(false, false), (true, false)];
        foreach (var name in names)
        {
            foreach (var (online, fresh) in scenarios)
            {
                try
                {
                    var result = await BrokerCrashBenchmark.RunAsync(Brokers[name], online, readings, inFlight, cancel.Token, fresh);
                    Console.WriteLine(BrokerCrashBenchmark.Row(result));
                }
                catch (Exception exception) when (!cancel.IsCancellationRequested)
                {
                    Console.WriteLine($"| {name} | {(online ? "subscriber online" : "subscriber offline")} | failed: {exception.Message.ReplaceLineEndings(" ")} |");
                }
            }
        }
        Console.WriteLine($"Load average after: {LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
