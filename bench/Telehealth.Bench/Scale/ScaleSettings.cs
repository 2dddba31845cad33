using System.Globalization;

namespace Telehealth.Bench.Scale;

/// <summary>
/// The sizes of one scale run. <paramref name="Fraction"/> 1 is the recorded default (about 10 minutes on 2 cores);
/// 0.1 is a smoke run. The number of devices (connections), the messages in flight and the batch size stay as the
/// platform runs whatever the fraction, so a smoke run measures the same shape, only shorter.
/// </summary>
public sealed record ScaleSettings(double Fraction, IReadOnlySet<string> Phases, int SplitRounds = ScaleSettings.DefaultSplitRounds)
{
    /// <summary>
    /// The split phase's rounds, each a fresh topology measured between two bare nats runs (before and after it): on
    /// this machine the same build and the bare broker each moved by a third within minutes (bench/RESULTS.md, 27
    /// November), so one split clock against one bare clock minutes away says more about the hour than the build. The
    /// figure is the median round.
    /// </summary>
    public const int DefaultSplitRounds = 3;

    public static readonly IReadOnlyList<string> AllPhases =
        ["bare-mqttnet", "bare-nats", "bare-mosquitto", "bare-influx", "embedded", "embedded-fhir", "embedded-fhir-far", "split", "latency", "connections"];

    public const int Devices = 50;
    public const int InFlight = 10;
    public const int InfluxWriters = 2;

    /// <summary>The platform's InfluxDB batch size (its default Storage:Influx:BatchSize).</summary>
    public static int InfluxBatch => new Telehealth.Ingest.Storage.Influx.InfluxOptions().BatchSize;

    public int BareMessagesPerDevice => Scaled(1_000);

    public int BareInfluxPoints => Scaled(500_000);

    public int EmbeddedReadingsPerDevice => Scaled(2_000) / 2 * 2;

    /// <summary>Messages each of the embedded phase's warm-up devices (as many as the measured ones, other persons) sends
    /// before the clock starts (a fifth of the measured run): the target is a sustained rate, and a cold process spends
    /// its first seconds compiling.</summary>
    public int EmbeddedWarmUpMessagesPerDevice => Scaled(200);

    /// <summary>The embedded run with a FHIR server, a fifth of the size: pushing is one request per resource, about a
    /// tenth of the embedded rate, and the figure is there to read against the embedded default, not a target.</summary>
    public int EmbeddedFhirReadingsPerDevice => Scaled(400) / 2 * 2;

    public int EmbeddedFhirWarmUpMessagesPerDevice => Scaled(40);

    /// <summary>The embedded run pushing to a FHIR server that answers each write after <see cref="FarServerDelay"/>:
    /// a tenth of the embedded-fhir run, since pushing is then bound by round trips (8 people at once, by default).</summary>
    public int EmbeddedFhirFarReadingsPerDevice => Scaled(40) / 2 * 2;

    public int EmbeddedFhirFarWarmUpMessagesPerDevice => Scaled(8);

    /// <summary>A FHIR server elsewhere on a network: its round trip and its own work on one write.</summary>
    public static readonly TimeSpan FarServerDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// As many as the bare brokers' phases it is a ratio of, and the embedded run: 1,000 messages per device. Until 27
    /// November it was a fifth of that (200; 50 when the split deployment managed ~1,000 readings/s): at 7,500-13,600
    /// readings/s that clock lasted 1.5-2.7 s, and filling the pipe and draining its last evaluation pass (last PUBACK
    /// to queue empty, about 0.75 s) were a third of it, while the bare phase it is compared with has no pass to drain.
    /// With every size 5 times as large (`scale 5 bare-nats,split`), the same build measured 14,070 readings/s, 0.40
    /// of bare nats, in the hour when the short clock measured 9,640-13,047.
    /// </summary>
    public int SplitMessagesPerDevice => Scaled(1_000);

    /// <summary>Messages per device in each warm-up round of the split phase (other persons' devices, before the clock):
    /// a round must run the code the clock runs, not last as long as it.</summary>
    public int SplitWarmUpMessagesPerDevice => Scaled(200);

    /// <summary>The background load of the latency target is part of the target: it does not scale.</summary>
    public const int LatencyBackgroundPerSecond = 2_000;

    public int LatencyProbes => Math.Max(20, Scaled(200));

    public int IdleConnections => Scaled(10_000);

    /// <summary>Per device and round of the connections phase: a round of 50 devices takes a few seconds, short enough for six pairs.</summary>
    public const int ReadingsPerActiveDevice = 120;

    public bool Runs(string phase) => Phases.Contains(phase);

    /// <summary>From the command line: <c>scale [fraction] [phase,phase,...] [split rounds]</c>.</summary>
    public static ScaleSettings Parse(IReadOnlyList<string> args)
    {
        var fraction = args.Count > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        if (fraction is <= 0 or > 10)
        {
            throw new ArgumentException($"scale: the fraction must be in (0, 10], not {args[0]}.");
        }
        var phases = args.Count > 1 && args[1] != "all" ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [.. AllPhases];
        var unknown = phases.Except(AllPhases).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"scale: unknown phase(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllPhases)}.");
        }
        var rounds = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : DefaultSplitRounds;
        if (rounds is < 1 or > 9)
        {
            throw new ArgumentException($"scale: the split rounds must be 1 to 9, not {args[2]}.");
        }
        return new ScaleSettings(fraction, phases.ToHashSet(StringComparer.Ordinal), rounds);
    }

    private int Scaled(int full) => Math.Max(1, (int)Math.Round(full * Fraction));
}
