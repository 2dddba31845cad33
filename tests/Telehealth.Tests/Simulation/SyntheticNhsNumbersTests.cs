using Telehealth.Simulation.Caseload;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Tests.Simulation;

public sealed class SyntheticNhsNumbersTests
{
    [Fact]
    public void Numbers_are_valid_test_range_stable_and_distinct_per_block()
    {
        var demo = Enumerable.Range(1, 500).Select(n => SyntheticNhsNumbers.For(SyntheticNhsNumbers.DemoBlock, n)).ToList();
        var simulator = Enumerable.Range(1, 500).Select(n => SyntheticNhsNumbers.For(SyntheticNhsNumbers.SimulatorBlock, n)).ToList();

        Assert.All(demo.Concat(simulator), number => Assert.True(NhsNumbers.IsValid(number), number));
        Assert.All(demo, number => Assert.StartsWith("9990", number, StringComparison.Ordinal));
        Assert.All(simulator, number => Assert.StartsWith("9991", number, StringComparison.Ordinal));
        Assert.Equal(1000, demo.Concat(simulator).Distinct().Count());
        Assert.Equal(demo[41], SyntheticNhsNumbers.For(SyntheticNhsNumbers.DemoBlock, 42));
    }

    [Fact]
    public void Planned_homes_are_numbered_in_order()
    {
        var homes = new CaseloadFactory(7).Plan(12);

        Assert.Equal(Enumerable.Range(1, 12), homes.Select(h => h.Number));
        Assert.Equal(SyntheticNhsNumbers.For(SyntheticNhsNumbers.SimulatorBlock, 3), homes[2].NhsNumberFor(SyntheticNhsNumbers.SimulatorBlock));
    }
}
