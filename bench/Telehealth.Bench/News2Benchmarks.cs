using BenchmarkDotNet.Attributes;
using Telehealth.CareRecord.News2;

namespace Telehealth.Bench;

/// <summary>News2Calculator.Calculate on a full set of observations and on the partial set a home typically has.</summary>
[MemoryDiagnoser]
public class News2Benchmarks
{
    private readonly News2Inputs _complete = new(
        RespirationRate: 22, Spo2: 93, OnSupplementalOxygen: false, SystolicBp: 105, Pulse: 112,
        Consciousness: ConsciousnessLevel.Alert, TemperatureCelsius: 38.4);

    // What home devices supply: no respiration rate, consciousness unknown.
    private readonly News2Inputs _homePartial = new(
        RespirationRate: null, Spo2: 95, OnSupplementalOxygen: false, SystolicBp: 128, Pulse: 88,
        Consciousness: null, TemperatureCelsius: 36.9);

    [Benchmark(Baseline = true, Description = "NEWS2 all 7 parameters")]
    public int Complete() => News2Calculator.Calculate(_complete).Total;

    [Benchmark(Description = "NEWS2 partial (home set)")]
    public int HomePartial() => News2Calculator.Calculate(_homePartial).Total;
}
