using System.Globalization;

namespace Telehealth.Bench.Scale;

/// <summary>
/// A platform instance's own .NET runtime counters (the <c>System.Runtime</c> meter, scraped from its Prometheus
/// endpoint <c>/metrics</c>), taken before and after a clock, so a phase can say what each reading cost the instance
/// and where that went: CPU, the JIT (methods compiled and time spent compiling: a steady-state process compiles
/// almost nothing, so a large figure means the phase measured a warm-up), garbage collections, allocation,
/// exceptions, lock contention and thread-pool work items.
/// </summary>
public sealed class RuntimeCounters
{
    private readonly Dictionary<string, double> _totals;

    private RuntimeCounters(Dictionary<string, double> totals) => _totals = totals;

    public static async Task<RuntimeCounters> TakeAsync(Uri instance, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(30) };
        return Parse(await http.GetStringAsync("/metrics", cancellationToken));
    }

    /// <summary>Sums each metric over its labels (e.g. CPU user + system, collections of every generation) except gc_heap_generation, kept apart.</summary>
    public static RuntimeCounters Parse(string exposition)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith("dotnet_", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var name = brace > 0 ? line[..brace] : line[..space];
            var generation = line.IndexOf("gc_heap_generation=\"", StringComparison.Ordinal);
            if (generation > 0)
            {
                var start = generation + "gc_heap_generation=\"".Length;
                name += ":" + line[start..line.IndexOf('"', start)];
            }
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                totals[name] = totals.GetValueOrDefault(name) + value;
            }
        }
        return new RuntimeCounters(totals);
    }

    private double Get(string name) => _totals.GetValueOrDefault(name);

    /// <summary>What happened since <paramref name="before"/>, per reading when <paramref name="readings"/> is above 0.</summary>
    public string Since(RuntimeCounters before, long readings)
    {
        double Delta(string name) => Get(name) - before.Get(name);
        var cpu = Delta("dotnet_process_cpu_time_seconds_total");
        var allocated = Delta("dotnet_gc_heap_total_allocated_bytes_total");
        var workItems = Delta("dotnet_thread_pool_work_item_count_total");
        var costs = readings > 0
            ? string.Create(CultureInfo.InvariantCulture, $"CPU {cpu * 1e6 / readings:0} µs per reading ({cpu:0.00} s); allocated {allocated / readings / 1024:0.0} KB per reading; {workItems / readings:0.0} thread-pool work items per reading")
            : string.Create(CultureInfo.InvariantCulture, $"CPU {cpu:0.00} s; allocated {allocated / 1048576:0.0} MB; {workItems:N0} thread-pool work items");
        return string.Create(CultureInfo.InvariantCulture,
            $"{costs}; JIT {Delta("dotnet_jit_compiled_methods_total"):N0} methods compiled ({Delta("dotnet_jit_compilation_time_seconds_total"):0.00} s in the JIT); " +
            $"GCs gen0 {Delta("dotnet_gc_collections_total:gen0"):0}, gen1 {Delta("dotnet_gc_collections_total:gen1"):0}, gen2 {Delta("dotnet_gc_collections_total:gen2"):0}, paused {Delta("dotnet_gc_pause_time_seconds_total"):0.00} s; " +
            $"{Delta("dotnet_exceptions_total"):N0} exceptions, {Delta("dotnet_monitor_lock_contentions_total"):N0} lock contentions");
    }

    /// <summary>CPU seconds since <paramref name="before"/> (user and system).</summary>
    public double CpuSecondsSince(RuntimeCounters before) => Get("dotnet_process_cpu_time_seconds_total") - before.Get("dotnet_process_cpu_time_seconds_total");

    /// <summary>Methods the JIT compiled since <paramref name="before"/>.</summary>
    public double JitMethodsSince(RuntimeCounters before) => Get("dotnet_jit_compiled_methods_total") - before.Get("dotnet_jit_compiled_methods_total");
}
