using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Telehealth.Bench;

// Usage (Release only):
//   dotnet run -c Release --project bench/Telehealth.Bench -- micro [BenchmarkDotNet args, e.g. --filter *Senml*]
//   dotnet run -c Release --project bench/Telehealth.Bench -- e2e [devices readingsPerDevice inFlightPerClient runs]
//   dotnet run -c Release --project bench/Telehealth.Bench -- flood [floodMessages normalDevices normalMessagesEach]
//   dotnet run -c Release --project bench/Telehealth.Bench -- broker-crash [readings inFlight brokers]
//     (brokers: comma-separated of mosquitto-1800, mosquitto-1, mosquitto-changes, rabbitmq, nats; default all)
//   dotnet run -c Release --project bench/Telehealth.Bench -- connections [idleDevices readingsPerActiveDevice]   (default 10000 120)
//   dotnet run -c Release --project bench/Telehealth.Bench -- alert-latency [backgroundReadingsPerSecond probes [Evaluation:MaxItemsPerPass]]   (default 2000 200)
//   dotnet run -c Release --project bench/Telehealth.Bench -- broker-fit [brokers]   (MQTT 5 and $share, as the ingress needs)
//   dotnet run -c Release --project bench/Telehealth.Bench -- scale [fraction [phases [split rounds]]]   (issue 10's figures
//     beside the raw limits, one table, rewrites the generated section of bench/RESULTS.md; fraction 0.1 = smoke run; phases:
//     comma-separated of bare-mqttnet, bare-nats, bare-mosquitto, bare-influx, embedded, split, latency, connections; default
//     all; split rounds: each between two bare nats runs, default 3)
// With no arguments micro and e2e run with the defaults recorded in bench/RESULTS.md.
// WebApplicationFactory resolves the web project's content root relative to the working directory, so run from the
// output folder whatever folder the command was started in (BenchmarkDotNet's artifacts land there too).
Directory.SetCurrentDirectory(AppContext.BaseDirectory);

var mode = args.Length > 0 ? args[0] : "all";
var rest = args.Skip(1).ToArray();

if (mode == "scale")
{
    Environment.ExitCode = await Telehealth.Bench.Scale.ScaleBenchmark.RunAsync(rest);
    return;
}

if (mode == "broker-crash")
{
    await Telehealth.Bench.BrokerCrash.BrokerCrashCommand.RunAsync(rest);
    return;
}

if (mode == "connections")
{
    await ConnectionsBenchmark.RunAsync(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 10_000,
        rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : Telehealth.Bench.Scale.ScaleSettings.ReadingsPerActiveDevice);
    return;
}

if (mode == "alert-latency")
{
    await AlertLatencyBenchmark.RunAsync(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 2_000,
        rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 200,
        rest.Length > 2 ? int.Parse(rest[2], CultureInfo.InvariantCulture) : null);
    return;
}

if (mode == "broker-fit")
{
    await Telehealth.Bench.BrokerCrash.BrokerCrashCommand.FitAsync(rest);
    return;
}

if (mode is "micro" or "all")
{
    // In-process toolchain: no per-benchmark project generation and rebuild, which on 2 cores would cost minutes.
    var config = DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .AsDefault())
        .WithOptions(ConfigOptions.JoinSummary);
    var switcher = BenchmarkSwitcher.FromTypes([typeof(SenmlDecoderBenchmarks), typeof(News2Benchmarks), typeof(SqliteReadingStoreBenchmarks)]);
    switcher.Run(rest.Length > 0 && mode == "micro" ? rest : ["--filter", "*"], config);
}

if (mode is "e2e" or "all")
{
    int Arg(int index, int fallback) => mode == "e2e" && rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
    var devices = Arg(0, 50);
    var readingsPerDevice = Arg(1, 400);
    var runs = Arg(3, 3);
    // A fifth argument sets Devices:LookupCacheTtl in seconds (0 turns the cache off), for an A/B of the lookup cache.
    TimeSpan? lookupTtl = mode == "e2e" && rest.Length > 4 ? TimeSpan.FromSeconds(Arg(4, 5)) : null;
    int[] inFlightOptions = mode == "e2e" && rest.Length > 2 ? [Arg(2, 1)] : [1, 10];
    using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));

    foreach (var inFlight in inFlightOptions)
    {
        var settings = new EndToEndSettings(devices, readingsPerDevice, inFlight, lookupTtl);
        Console.WriteLine($"End to end: {settings}; {runs} runs, each on a fresh platform");
        var rates = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await EndToEndBenchmark.RunAsync(settings, cancel.Token);
            rates.Add(result.ReadingsPerSecond);
            var verdict = result.Stored == settings.TotalReadings && result.Acknowledged == settings.TotalReadings && result.Failed == 0 ? "OK" : "MISMATCH";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {run}: sent {settings.TotalReadings}, acknowledged {result.Acknowledged}, failed messages {result.Failed}, stored (via API) {result.Stored} [{verdict}]; " +
                $"{result.Elapsed.TotalSeconds:0.000} s, {result.ReadingsPerSecond:0} readings/s; PUBACK latency p50 {result.P50AckMs:0.0} ms, p99 {result.P99AckMs:0.0} ms, max {result.MaxAckMs:0.0} ms"));
        }
        var mean = rates.Average();
        var sd = rates.Count > 1 ? Math.Sqrt(rates.Sum(r => (r - mean) * (r - mean)) / (rates.Count - 1)) : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  readings/s: mean {mean:0}, sd {sd:0}, min {rates.Min():0}, max {rates.Max():0}"));
    }
}

if (mode is "flood")
{
    int Arg(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
    var floodMessages = Arg(0, 20_000);
    var normalDevices = Arg(1, 50);
    var normalEach = Arg(2, 20);
    using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    Console.WriteLine($"Flood: {normalDevices} normal devices x {normalEach} readings (one per 500 ms), alone, then beside one device sending {floodMessages}");
    Console.WriteLine("  baseline: " + FloodBenchmark.Describe(await FloodBenchmark.RunAsync(0, normalDevices, normalEach, cancel.Token)));
    Console.WriteLine("  flooded:  " + FloodBenchmark.Describe(await FloodBenchmark.RunAsync(floodMessages, normalDevices, normalEach, cancel.Token)));
}
