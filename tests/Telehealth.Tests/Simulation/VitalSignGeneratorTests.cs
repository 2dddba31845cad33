using Telehealth.Contracts.Readings;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Scenarios;

namespace Telehealth.Tests.Simulation;

public sealed class VitalSignGeneratorTests
{
    private static readonly SimulatedDeviceType[] MeasuringTypes =
    [
        SimulatedDeviceType.PulseOximeter, SimulatedDeviceType.BloodPressureMonitor, SimulatedDeviceType.Thermometer,
        SimulatedDeviceType.WeighingScale, SimulatedDeviceType.Glucometer,
    ];

    [Theory]
    [InlineData(SimulatedDeviceType.PulseOximeter, new[] { VitalKind.Spo2, VitalKind.HeartRate, VitalKind.RespiratoryRate })]
    [InlineData(SimulatedDeviceType.BloodPressureMonitor, new[] { VitalKind.SystolicBp, VitalKind.DiastolicBp, VitalKind.HeartRate })]
    [InlineData(SimulatedDeviceType.Thermometer, new[] { VitalKind.BodyTemperature })]
    [InlineData(SimulatedDeviceType.WeighingScale, new[] { VitalKind.BodyWeight })]
    [InlineData(SimulatedDeviceType.Glucometer, new[] { VitalKind.BloodGlucose })]
    [InlineData(SimulatedDeviceType.PendantAlarm, new VitalKind[0])]
    [InlineData(SimulatedDeviceType.FallDetector, new VitalKind[0])]
    public void Each_device_type_reports_its_own_kinds_in_canonical_units(SimulatedDeviceType type, VitalKind[] expected)
    {
        var device = SimulationTestData.Device(type);
        var readings = new VitalSignGenerator(7).ReadingsAt(SimulationTestData.Home(ScenarioKind.Stable, device), device, TimeSpan.FromMinutes(3));

        Assert.Equal(expected, readings.Select(r => r.Kind));
        Assert.All(readings, r => Assert.Equal(r.Kind.CanonicalUnit(), r.Unit));
    }

    [Fact]
    public void Same_seed_gives_identical_readings_and_different_seed_does_not()
    {
        var devices = MeasuringTypes.Select((type, i) => SimulationTestData.Device(type, $"dev-{i}")).ToArray();
        var home = SimulationTestData.Home(ScenarioKind.DeterioratingSpo2, devices);
        var times = Enumerable.Range(0, 60).Select(i => TimeSpan.FromSeconds(i * 10.5)).ToArray();

        List<SimulatedReading> Run(int seed)
        {
            var generator = new VitalSignGenerator(seed);
            return devices.SelectMany(d => times.SelectMany(t => generator.ReadingsAt(home, d, t))).ToList();
        }

        var first = Run(42);
        // Asked in reverse order: a reading depends on its inputs only, never on what was asked before.
        var reversedGenerator = new VitalSignGenerator(42);
        var reversed = devices.Reverse().SelectMany(d => times.Reverse().SelectMany(t => reversedGenerator.ReadingsAt(home, d, t))).ToList();

        Assert.Equal(60 * (3 + 3 + 1 + 1 + 1), first.Count); // oximeter 3 kinds, cuff 3, thermometer, scale, glucometer
        Assert.Equal(first, Run(42));
        Assert.Equal(first.OrderBy(r => r.Kind).ThenBy(r => r.Value), reversed.OrderBy(r => r.Kind).ThenBy(r => r.Value));
        Assert.NotEqual(first, Run(43));
    }

    public static TheoryData<int> Seeds => new() { 1, 42, 2026 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Stable_homes_stay_within_normal_adult_ranges_over_a_simulated_day(int seed)
    {
        var generator = new VitalSignGenerator(seed);
        var stableHomes = new CaseloadFactory(seed).Plan(100).Where(h => h.Scenario.Kind == ScenarioKind.Stable).ToList();
        Assert.Equal(70, stableHomes.Count);
        var checkedReadings = 0;
        foreach (var planned in stableHomes)
        {
            var devices = MeasuringTypes.Select((type, i) => SimulationTestData.Device(type, $"{planned.Label}-{i}")).ToArray();
            var home = planned.ToHome("patient-" + planned.Label, devices);
            // Every 10 minutes for 24 hours.
            for (var minute = 0; minute <= 24 * 60; minute += 10)
            {
                foreach (var device in devices)
                {
                    foreach (var reading in generator.ReadingsAt(home, device, TimeSpan.FromMinutes(minute)))
                    {
                        var (low, high) = NormalRange(reading.Kind, planned.Scenario.HasHypercapnicRespiratoryFailure);
                        Assert.InRange(reading.Value, low, high);
                        checkedReadings++;
                    }
                }
            }
        }
        Assert.Equal(70 * 145 * 9, checkedReadings);
    }

    // Adult resting ranges that score 0 in NEWS2 where NEWS2 covers the sign (SpO2 scale 2: 88–92 or ≥93 on air).
    private static (double Low, double High) NormalRange(VitalKind kind, bool copd) => kind switch
    {
        VitalKind.HeartRate => (51, 90),
        VitalKind.Spo2 => copd ? (88, 100) : (96, 100),
        VitalKind.SystolicBp => (111, 160),
        VitalKind.DiastolicBp => (55, 95),
        VitalKind.BodyTemperature => (36.1, 38.0),
        VitalKind.BodyWeight => (45, 130),
        VitalKind.RespiratoryRate => (12, 20),
        VitalKind.BloodGlucose => (4.0, 10.0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2.9, 0)]
    [InlineData(3, 1)]
    [InlineData(30, 10)]
    public void Battery_drains_one_percent_every_three_scenario_hours(double hours, int drained)
    {
        var generator = new VitalSignGenerator(42);
        var start = generator.BatteryPercentAt("dev-ab12", TimeSpan.Zero);

        Assert.InRange(start, 70, 100);
        Assert.Equal(start - drained, generator.BatteryPercentAt("dev-ab12", TimeSpan.FromHours(hours)));
    }

    [Fact]
    public void Battery_never_reports_below_five_percent() =>
        Assert.Equal(5, new VitalSignGenerator(42).BatteryPercentAt("dev-ab12", TimeSpan.FromDays(60)));
}
